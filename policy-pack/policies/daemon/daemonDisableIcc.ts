import { daemonJsonPolicy, has, show } from "../../lib/daemonPolicy";

/** CIS 2.2: containers on the default bridge cannot reach each other. */
export const daemonDisableIcc = daemonJsonPolicy(
    {
        name: "docker-daemon-disable-icc",
        description: "The Docker daemon must turn inter-container communication on the default bridge off.",
        cis: "2.2",
        severity: "medium",
        enforcementLevel: "advisory",
        remediation:
            'set "icc": false in daemon.json (DockerDaemon\'s default); containers that must talk share a user-defined network.',
    },
    [
        (j, s) => {
            if (!has(j, "icc")) {
                return `${s} leaves "icc" unset (true); expected false (CIS 2.2).`;
            }
            return j.icc === false ? undefined : `${s} sets "icc" to ${show(j.icc)}; expected false (CIS 2.2).`;
        },
    ],
);
