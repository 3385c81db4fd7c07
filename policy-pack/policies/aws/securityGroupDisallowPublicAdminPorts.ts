import {
    andList,
    everyAddressFamily,
    jointlyEveryAddress,
    openedPorts,
    portList,
    type DefaultSecurityGroupProps,
    type OpenedPorts,
    type SecurityGroupIngressProps,
    type SecurityGroupIngressRuleProps,
    type SecurityGroupProps,
    type SecurityGroupRuleProps,
} from "../../lib/aws";
import { eachKnown, forType, knownItems, resourcePolicyByType } from "../../lib/branches";
import { known, TYPES } from "../../lib/policy";

interface Config {
    ports: number[];
}

/** The benchmark splits the control by address family: 5.2 for IPv4, 5.3 for IPv6. */
const CIS_BY_FAMILY = { ipv4: "5.2", ipv6: "5.3" } as const;

/** A rule's protocol and port range. */
interface RulePorts {
    protocol?: string;
    fromPort?: number;
    toPort?: number;
}

/**
 * The end of a message: what the rule opens of the listed ports, to every address of the family,
 * and the control.
 */
function toEvery(rule: RulePorts, opened: OpenedPorts, family: "ipv4" | "ipv6"): string {
    const what = opened.every
        ? `every port (protocol ${JSON.stringify(rule.protocol)}), ${portList(opened.ports)} included,`
        : portList(opened.ports);
    return `${what} to every ${family === "ipv4" ? "IPv4" : "IPv6"} address; expected a narrower source, such as a bastion's or VPN's range (CIS AWS ${CIS_BY_FAMILY[family]}).`;
}

/** The sentence for one source that opens listed ports to every address, or nothing. */
function openSource(field: string, cidr: unknown, rule: RulePorts, opened: OpenedPorts): string | undefined {
    const family = everyAddressFamily(cidr);
    return family === undefined || opened.ports.length === 0
        ? undefined
        : `${field} is ${String(cidr)}, which opens ${toEvery(rule, opened, family)}`;
}

/**
 * The sentences for one CIDR list of a rule (`field` is its path): one per CIDR that is every
 * address of its family, and one per family whose addresses several CIDRs cover only together
 * (`0.0.0.0/1` and `128.0.0.0/1`), naming them. An unknown CIDR skips only itself, and adds nothing
 * to a cover.
 */
function openList(field: string, list: string[] | undefined, rule: RulePorts, opened: OpenedPorts): string[] {
    if (opened.ports.length === 0) {
        return [];
    }
    const cidrs = knownItems(list).map((c) => (typeof c === "string" ? c : undefined));
    const whole = cidrs.map((cidr, j) => openSource(`${field}[${j}]`, cidr, rule, opened));
    const joint = jointlyEveryAddress(cidrs).map(
        ({ family, indices }) =>
            `${andList(indices.map((j) => `${field}[${j}] is ${cidrs[j]}`))}, which together open ${toEvery(rule, opened, family)}`,
    );
    return [...whole.filter((m): m is string => m !== undefined), ...joint];
}

/**
 * The sentences for a rule's CIDR lists. Ports and protocol are read first: when one is unknown
 * during preview, the rule yields nothing. Each list is checked on its own: an unknown
 * `cidrBlocks` skips only itself, never a known `ipv6CidrBlocks`, and the reverse.
 */
function openSources(
    prefix: string,
    rule: SecurityGroupIngressProps | SecurityGroupRuleProps,
    listed: number[],
): string[] {
    const ports: RulePorts = { protocol: rule.protocol, fromPort: rule.fromPort, toPort: rule.toPort };
    const opened = openedPorts(ports.protocol, ports.fromPort, ports.toPort, listed);
    return [
        ...(known(() => openList(`${prefix}cidrBlocks`, rule.cidrBlocks, ports, opened)) ?? []),
        ...(known(() => openList(`${prefix}ipv6CidrBlocks`, rule.ipv6CidrBlocks, ports, opened)) ?? []),
    ];
}

/** A security group's inline rules; a rule that is not an object is skipped. */
function inlineIngress(p: SecurityGroupProps | DefaultSecurityGroupProps, c: Config): string[] {
    return eachKnown(p.ingress, (rule, i) => openSources(`ingress[${i}].`, rule, c.ports));
}

/**
 * CIS AWS 5.2 and 5.3: no ingress from every address to the Docker host's admin ports (SSH, the
 * Docker API on 2375/2376, the swarm manager on 2377). One policy for both controls, since one rule
 * can open both families and the fix is the same; `cis` is 5.2 and each message names 5.2 (IPv4)
 * or 5.3 (IPv6). Every shape of ingress rule counts: a security group's or a VPC's default security
 * group's inline `ingress`, a `SecurityGroupRule` of type "ingress", and a
 * `vpc.SecurityGroupIngressRule`. "Every address" is a `/0`, or CIDRs of one rule's list that cover
 * the whole address space only together (`0.0.0.0/1` and `128.0.0.0/1`); rules are judged one by
 * one, so two rules (or two resources) that split the space between them are not caught.
 *
 * The pack sees security groups, not the host: it cannot tell which port sshd listens on. A host
 * whose sshd listens on another port than 22 (HardenedHost's `sshPort`) must add that port to the
 * `ports` setting, or a rule opening it to every address passes.
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
                    "TCP ports that must not be open to every address: SSH, the Docker API (plain and TLS) and the swarm manager by default. The pack cannot see which port sshd listens on: when a host's sshd listens on another port than 22 (HardenedHost's sshPort), add that port here, or a rule opening it to every address passes.",
            },
        },
    },
    [
        forType<SecurityGroupProps, Config>(TYPES.awsSecurityGroup, [inlineIngress]),
        forType<DefaultSecurityGroupProps, Config>(
            TYPES.awsDefaultSecurityGroup,
            [inlineIngress],
            "aws-default-security-group-disallow-public-admin-ports",
        ),
        forType<SecurityGroupRuleProps, Config>(
            TYPES.awsSecurityGroupRule,
            [(p, c) => (p.type === "ingress" ? openSources("", p, c.ports) : undefined)],
            "aws-security-group-rule-disallow-public-admin-ports",
        ),
        forType<SecurityGroupIngressRuleProps, Config>(
            TYPES.awsIngressRule,
            [
                (p, c) => {
                    const rule: RulePorts = { protocol: p.ipProtocol, fromPort: p.fromPort, toPort: p.toPort };
                    const opened = openedPorts(rule.protocol, rule.fromPort, rule.toPort, c.ports);
                    return [
                        known(() => openSource("cidrIpv4", p.cidrIpv4, rule, opened)),
                        known(() => openSource("cidrIpv6", p.cidrIpv6, rule, opened)),
                    ].filter((m): m is string => m !== undefined);
                },
            ],
            "aws-security-group-ingress-rule-disallow-public-admin-ports",
        ),
    ],
);
