import { daemonJsonPolicy, has, show } from "../../lib/daemonPolicy";

/** CIS 2.16: published ports go through iptables, not a proxy process per port. */
export const daemonDisableUserlandProxy = daemonJsonPolicy(
    {
        name: "docker-daemon-disable-userland-proxy",
        description: "The Docker daemon must turn the userland proxy off.",
        cis: "2.16",
        severity: "low",
        enforcementLevel: "advisory",
        remediation: 'set "userland-proxy": false in daemon.json (DockerDaemon\'s default).',
    },
    [
        (j, s) => {
            if (!has(j, "userland-proxy")) {
                return `${s} leaves "userland-proxy" unset (true); expected false (CIS 2.16).`;
            }
            return j["userland-proxy"] === false
                ? undefined
                : `${s} sets "userland-proxy" to ${show(j["userland-proxy"])}; expected false (CIS 2.16).`;
        },
    ],
);
