import { daemonJsonPolicy, show } from "../../lib/daemonPolicy";

/** CIS 2.18: no experimental features on a production daemon. */
export const daemonDisableExperimental = daemonJsonPolicy(
    {
        name: "docker-daemon-disable-experimental",
        description: "The Docker daemon must not enable experimental features.",
        cis: "2.18",
        severity: "low",
        enforcementLevel: "advisory",
        remediation: 'set "experimental": false in daemon.json, or leave it unset.',
    },
    [
        // Unset is false.
        (j, s) =>
            j.experimental === undefined || j.experimental === false
                ? undefined
                : `${s} sets "experimental" to ${show(j.experimental)}; expected false or unset (CIS 2.18).`,
    ],
);
