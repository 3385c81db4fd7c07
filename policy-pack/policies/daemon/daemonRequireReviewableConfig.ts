import { DAEMON_JSON } from "../../lib/daemonJson";
import { commandPolicies, commandWrites, joinAnd } from "../../lib/daemonPolicy";

/**
 * CIS section 2 as a whole: the daemon policies can only check a daemon.json they can read, so a
 * command that writes the file in any other way (a copy, jq, sed -i, an expanding here-document)
 * would slip every one of them past preview.
 */
export const daemonRequireReviewableConfig = commandPolicies(
    {
        name: "docker-daemon-require-reviewable-config",
        description: "Commands must write the Docker daemon's daemon.json in a form the policy pack can check.",
        cis: "2",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation:
            "write daemon.json with DockerDaemon (its config and config.extra), or as literal JSON in a quoted here-document (cat > /etc/docker/daemon.json <<'EOF'), so the pack can check it; otherwise waive this policy for the command, with the reason and who reviewed the file.",
    },
    [
        (p) =>
            commandWrites(p).flatMap((w) =>
                w.content.kind === "unreadable"
                    ? [
                          `the command's ${joinAnd(w.fields)} ${w.fields.length > 1 ? "write" : "writes"} ${DAEMON_JSON} in a form the pack cannot read (${w.content.reason}), so none of its CIS section 2 settings can be checked (CIS 2).`,
                      ]
                    : [],
            ),
    ],
);
