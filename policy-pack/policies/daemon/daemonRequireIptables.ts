import { daemonJsonPolicy, has, show } from "../../lib/daemonPolicy";

/** CIS 2.4: Docker keeps the firewall rules of published ports and of the isolation between networks. */
export const daemonRequireIptables = daemonJsonPolicy(
    {
        name: "docker-daemon-require-iptables",
        description: "The Docker daemon must manage iptables for its networks.",
        cis: "2.4",
        severity: "medium",
        enforcementLevel: "advisory",
        remediation:
            "remove \"iptables\": false from daemon.json (DockerDaemon always sets true); HardenedHost's firewall coexists with Docker's rules.",
    },
    [
        (j, s) =>
            has(j, "iptables") && j.iptables !== true
                ? `${s} sets "iptables" to ${show(j.iptables)}, so published ports and the isolation between networks are left to hand-written rules; expected true or unset (CIS 2.4).`
                : undefined,
    ],
);
