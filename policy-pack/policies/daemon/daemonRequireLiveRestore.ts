import { daemonJsonPolicy, has, show } from "../../lib/daemonPolicy";

/** CIS 2.15: containers keep running while dockerd restarts. */
export const daemonRequireLiveRestore = daemonJsonPolicy(
    {
        name: "docker-daemon-require-live-restore",
        description: "The Docker daemon must keep containers running while it restarts (live restore).",
        cis: "2.15",
        severity: "low",
        enforcementLevel: "advisory",
        remediation:
            'set "live-restore": true in daemon.json (DockerDaemon\'s default); waive the policy for a swarm node, with the reason.',
    },
    [
        (j, s) => {
            if (!has(j, "live-restore")) {
                return `${s} leaves "live-restore" unset (false); expected true (CIS 2.15).`;
            }
            return j["live-restore"] === true
                ? undefined
                : `${s} sets "live-restore" to ${show(j["live-restore"])}; expected true (CIS 2.15).`;
        },
    ],
);
