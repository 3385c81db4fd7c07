import { daemonJsonPolicy, has, show } from "../../lib/daemonPolicy";

/** CIS 2.14: containers cannot gain privileges through setuid binaries, by default. */
export const daemonRequireNoNewPrivileges = daemonJsonPolicy(
    {
        name: "docker-daemon-require-no-new-privileges",
        description: "The Docker daemon must start containers with no-new-privileges by default.",
        cis: "2.14",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation: 'set "no-new-privileges": true in daemon.json (DockerDaemon\'s default).',
    },
    [
        (j, s) => {
            if (!has(j, "no-new-privileges")) {
                return `${s} leaves "no-new-privileges" unset (false); expected true (CIS 2.14).`;
            }
            return j["no-new-privileges"] === true
                ? undefined
                : `${s} sets "no-new-privileges" to ${show(j["no-new-privileges"])}; expected true (CIS 2.14).`;
        },
    ],
);
