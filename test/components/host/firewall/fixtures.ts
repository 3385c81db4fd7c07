import { validateFirewallArgs } from "../../../../components/host/firewall";
import type { FirewallPlan } from "../../../../components/host/firewall";
import type { HostContext } from "../../../../components/host/step";

export const CTX: HostContext = { connectionUser: "deploy", sshPort: 22, dataRoot: "/var/lib/docker" };

export function defaultPlan(): FirewallPlan {
    return validateFirewallArgs({ adminCidrs: ["203.0.113.0/24"] }, CTX);
}

/** Published ports of both families, host ports, an IPv6 admin network and a waiver. */
export function fullPlan(): FirewallPlan {
    return validateFirewallArgs(
        {
            adminCidrs: ["203.0.113.0/24", "2001:db8:a::/48"],
            allowSshFromAnywhere: { reason: "break-glass\naccess, SEC-9" },
            hostPorts: [{ port: 53, protocol: "udp", sources: ["10.0.0.0/8", "fd00::/8"] }],
            publishedPorts: [
                { port: 51820, protocol: "udp", sources: ["::/0"] },
                { port: 443, sources: ["0.0.0.0/0", "::/0"] },
                { port: 8443, sources: ["198.51.100.0/24", "192.0.2.0/24", "2001:db8:b::/48"] },
            ],
            logRatePerMinute: 30,
        },
        CTX,
    );
}
