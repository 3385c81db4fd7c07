import {
    everyAddressFamily,
    openedPorts,
    portList,
    type SecurityGroupIngressProps,
    type SecurityGroupIngressRuleProps,
    type SecurityGroupProps,
    type SecurityGroupRuleProps,
} from "../../lib/aws";
import { eachKnown, forType, resourcePolicyByType } from "../../lib/branches";
import { known, TYPES } from "../../lib/policy";

interface Config {
    ports: number[];
}

/** The benchmark splits the control by address family: 5.2 for IPv4, 5.3 for IPv6. */
const CIS_BY_FAMILY = { ipv4: "5.2", ipv6: "5.3" } as const;

/** The sentence for one source that opens listed ports to every address, or nothing. */
function openSource(
    field: string,
    cidr: string,
    rule: { protocol?: string; fromPort?: number; toPort?: number },
    listed: number[],
): string | undefined {
    const family = everyAddressFamily(cidr);
    if (family === undefined) {
        return undefined;
    }
    const opened = openedPorts(rule.protocol, rule.fromPort, rule.toPort, listed);
    if (opened.ports.length === 0) {
        return undefined;
    }
    const what = opened.every
        ? `every port (protocol ${JSON.stringify(rule.protocol)}), ${portList(opened.ports)} included,`
        : portList(opened.ports);
    return `${field} is ${cidr}, which opens ${what} to every ${family === "ipv4" ? "IPv4" : "IPv6"} address; expected a narrower source, such as a bastion's or VPN's range (CIS AWS ${CIS_BY_FAMILY[family]}).`;
}

/**
 * The sentences for a rule's CIDR lists. Ports and protocol are read first: when one is unknown
 * during preview, the rule yields nothing; an unknown CIDR skips only itself.
 */
function openSources(
    prefix: string,
    rule: SecurityGroupIngressProps | SecurityGroupRuleProps,
    listed: number[],
): string[] {
    const ports = { protocol: rule.protocol, fromPort: rule.fromPort, toPort: rule.toPort };
    return [
        ...eachKnown(rule.cidrBlocks, (cidr, j) => openSource(`${prefix}cidrBlocks[${j}]`, cidr, ports, listed)),
        ...eachKnown(rule.ipv6CidrBlocks, (cidr, j) =>
            openSource(`${prefix}ipv6CidrBlocks[${j}]`, cidr, ports, listed),
        ),
    ];
}

/**
 * CIS AWS 5.2 and 5.3: no ingress from every address to the Docker host's admin ports (SSH, the
 * Docker API on 2375/2376, the swarm manager on 2377). One policy for both controls, since one rule
 * can open both families and the fix is the same; `cis` is 5.2 and each message names 5.2 (IPv4)
 * or 5.3 (IPv6). Every shape of ingress rule counts: a security group's inline `ingress`, a
 * `SecurityGroupRule` of type "ingress", and a `vpc.SecurityGroupIngressRule`.
 */
export const securityGroupDisallowPublicAdminPorts = resourcePolicyByType<Config>(
    {
        name: "aws-security-group-disallow-public-admin-ports",
        description:
            "Security groups must not open the Docker host's admin ports to every address: CIS AWS 5.2 for IPv4 and 5.3 for IPv6, in one policy whose messages name the control of each address family.",
        cis: "5.2",
        benchmark: "aws",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation:
            "restrict the rule's source to the addresses that administer the host (a bastion, a VPN or an office range), or reach the host through SSM Session Manager; never open SSH, the Docker API or the swarm port to 0.0.0.0/0 or ::/0.",
        config: {
            ports: {
                type: "array",
                items: { type: "integer", minimum: 0, maximum: 65535 },
                uniqueItems: true,
                default: [22, 2375, 2376, 2377],
                description:
                    "TCP ports that must not be open to every address: SSH, the Docker API (plain and TLS) and the swarm manager by default.",
            },
        },
    },
    [
        forType<SecurityGroupProps, Config>(TYPES.awsSecurityGroup, [
            (p, c) => eachKnown(p.ingress, (rule, i) => openSources(`ingress[${i}].`, rule, c.ports)),
        ]),
        forType<SecurityGroupRuleProps, Config>(TYPES.awsSecurityGroupRule, [
            (p, c) => (p.type === "ingress" ? openSources("", p, c.ports) : undefined),
        ]),
        forType<SecurityGroupIngressRuleProps, Config>(TYPES.awsIngressRule, [
            (p, c) => {
                const rule = { protocol: p.ipProtocol, fromPort: p.fromPort, toPort: p.toPort };
                return [
                    known(() => openSource("cidrIpv4", p.cidrIpv4 ?? "", rule, c.ports)),
                    known(() => openSource("cidrIpv6", p.cidrIpv6 ?? "", rule, c.ports)),
                ].filter((m): m is string => m !== undefined);
            },
        ]),
    ],
);
