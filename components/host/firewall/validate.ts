import * as ipaddr from "ipaddr.js";
import { ArgumentError, integer, waiverReason } from "../../common/errors";
import type { HostContext } from "../step";
import type { FirewallArgs, FirewallPort } from "./args";
import { FIREWALL_DEFAULTS } from "./defaults";

/**
 * Sources of one rule, split by family: nftables matches IPv4 sources with `ip saddr` and IPv6
 * sources with `ip6 saddr`. Each list holds CIDRs (a single host as `/32` or `/128`, so a cloud
 * security group takes them as they are), sorted by address, none covered by another.
 */
export interface SourcePlan {
    v4: string[];
    v6: string[];
}

/** A port admitted from its sources. */
export interface FirewallPortPlan {
    port: number;
    protocol: "tcp" | "udp";
    sources: SourcePlan;
}

/** The firewall's arguments after validation, with every default filled in. */
export interface FirewallPlan {
    /** The port sshd listens on (from the host context). */
    sshPort: number;
    /** Where SSH is admitted from. */
    adminCidrs: SourcePlan;
    /** Host services, sorted by protocol and port. */
    hostPorts: FirewallPortPlan[];
    /** Published container ports, sorted by protocol and port. */
    publishedPorts: FirewallPortPlan[];
    rollbackSeconds: number;
    logRatePerMinute: number;
    /** Waiver name to reason, for the waivers that were given. */
    waivers: Record<string, string>;
}

const KNOWN_ARGS = [
    "adminCidrs",
    "allowSshFromAnywhere",
    "hostPorts",
    "publishedPorts",
    "rollbackSeconds",
    "logRatePerMinute",
];

/** A parsed CIDR: its family, network bytes and prefix length. */
interface Cidr {
    v6: boolean;
    bytes: number[];
    prefix: number;
}

function cidrText(cidr: Cidr): string {
    const address = cidr.v6 ? ipaddr.fromByteArray(cidr.bytes).toString() : cidr.bytes.join(".");
    return `${address}/${cidr.prefix}`;
}

/** Do the first `prefix` bits of two byte arrays agree? */
function samePrefix(a: number[], b: number[], prefix: number): boolean {
    for (let bit = 0; bit < prefix; bit += 8) {
        const mask = prefix - bit >= 8 ? 0xff : (0xff << (8 - (prefix - bit))) & 0xff;
        if ((a[bit / 8] & mask) !== (b[bit / 8] & mask)) {
            return false;
        }
    }
    return true;
}

/** Parses an address or CIDR; a bare address is a single host. Refuses host bits and zones. */
function parseCidr(argument: string, value: unknown): Cidr {
    const bad = () =>
        new ArgumentError(
            argument,
            `must be an IPv4 or IPv6 address or CIDR, such as 203.0.113.0/24 or 2001:db8::/32, got ${JSON.stringify(value)}`,
        );
    if (typeof value !== "string") {
        throw bad();
    }
    const text = value.trim();
    const slash = text.indexOf("/");
    const address = slash < 0 ? text : text.slice(0, slash);
    const length = slash < 0 ? undefined : text.slice(slash + 1);
    let parsed: ipaddr.IPv4 | ipaddr.IPv6;
    if (ipaddr.IPv4.isValidFourPartDecimal(address)) {
        parsed = ipaddr.IPv4.parse(address);
    } else if (address.includes(":") && !address.includes("%") && ipaddr.IPv6.isValid(address)) {
        parsed = ipaddr.IPv6.parse(address);
    } else {
        throw bad();
    }
    const v6 = parsed.kind() === "ipv6";
    const max = v6 ? 128 : 32;
    if (length !== undefined && (!/^[0-9]{1,3}$/.test(length) || Number(length) > max)) {
        throw bad();
    }
    const prefix = length === undefined ? max : Number(length);
    if (v6 && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
        throw new ArgumentError(
            argument,
            `is an IPv4-mapped IPv6 address (${text}), which IPv6 traffic never comes from; write it as IPv4`,
        );
    }
    const bytes = parsed.toByteArray();
    const network = bytes.map((byte, i) => {
        const bits = Math.min(Math.max(prefix - i * 8, 0), 8);
        return byte & ((0xff << (8 - bits)) & 0xff);
    });
    const cidr = { v6, bytes: network, prefix };
    if (network.some((byte, i) => byte !== bytes[i])) {
        throw new ArgumentError(argument, `has host bits set (${text}); write the network address, ${cidrText(cidr)}`);
    }
    return cidr;
}

function compareCidrs(a: Cidr, b: Cidr): number {
    for (let i = 0; i < a.bytes.length; i++) {
        if (a.bytes[i] !== b.bytes[i]) {
            return a.bytes[i] - b.bytes[i];
        }
    }
    return a.prefix - b.prefix;
}

/** Sorts each family's CIDRs and drops those another one covers: the rules admit the same sources. */
function sourcePlan(cidrs: Cidr[]): SourcePlan {
    const family = (v6: boolean) => {
        const kept: Cidr[] = [];
        for (const cidr of cidrs.filter((c) => c.v6 === v6).sort(compareCidrs)) {
            if (!kept.some((k) => k.prefix <= cidr.prefix && samePrefix(k.bytes, cidr.bytes, k.prefix))) {
                kept.push(cidr);
            }
        }
        return kept.map((c) => cidrText(c));
    };
    return { v4: family(false), v6: family(true) };
}

function sourceList(argument: string, value: unknown, example: string): Cidr[] {
    if (!Array.isArray(value) || value.length === 0) {
        throw new ArgumentError(argument, `must list at least one address or CIDR, for example ${example}`);
    }
    return value.map((v, i) => parseCidr(`${argument}[${i}]`, v));
}

function portList(
    name: "hostPorts" | "publishedPorts",
    value: FirewallPort[] | undefined,
    sshPort: number,
    taken: Map<string, string>,
): FirewallPortPlan[] {
    const argument = `args.firewall.${name}`;
    if (value === undefined) {
        return [];
    }
    if (!Array.isArray(value)) {
        throw new ArgumentError(argument, "must be a list of { port, protocol, sources }");
    }
    const ports = value.map((p, i) => {
        const at = `${argument}[${i}]`;
        if (typeof p !== "object" || p === null) {
            throw new ArgumentError(at, "must be an object { port, protocol, sources }");
        }
        const port = integer(`${at}.port`, p.port, 1, 65535);
        const protocol = p.protocol ?? FIREWALL_DEFAULTS.protocol;
        if (protocol !== "tcp" && protocol !== "udp") {
            throw new ArgumentError(`${at}.protocol`, `must be "tcp" or "udp", got ${JSON.stringify(protocol)}`);
        }
        if (protocol === "tcp" && port === sshPort) {
            throw new ArgumentError(
                `${at}.port`,
                `is the SSH port (${sshPort}), which is admitted from args.firewall.adminCidrs only`,
            );
        }
        const key = `${protocol}/${port}`;
        const earlier = taken.get(key);
        if (earlier !== undefined) {
            throw new ArgumentError(at, `repeats ${key} from ${earlier}; list each port once`);
        }
        taken.set(key, `${name}[${i}]`);
        const sources = sourcePlan(sourceList(`${at}.sources`, p.sources, '["203.0.113.0/24"]'));
        return { port, protocol, sources };
    });
    return ports.sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
}

/**
 * Validates the firewall's arguments and fills in the defaults. Pure; throws ArgumentError naming
 * the argument (`args.firewall.<field>`) and what is allowed.
 */
export function validateFirewallArgs(args: FirewallArgs | undefined, ctx: HostContext): FirewallPlan {
    const sshPort = integer("ctx.sshPort", ctx?.sshPort, 1, 65535);
    if (args !== undefined && (typeof args !== "object" || args === null || Array.isArray(args))) {
        throw new ArgumentError("args.firewall", "must be an object { adminCidrs: [...] }");
    }
    const given: Partial<FirewallArgs> = args ?? {};
    for (const key of Object.keys(given)) {
        if (!KNOWN_ARGS.includes(key)) {
            throw new ArgumentError(`args.firewall.${key}`, `is not an argument; allowed: ${KNOWN_ARGS.join(", ")}`);
        }
    }
    const waivers: Record<string, string> = {};
    const anywhere = waiverReason("args.firewall.allowSshFromAnywhere", given.allowSshFromAnywhere);
    if (anywhere !== undefined) {
        waivers.allowSshFromAnywhere = anywhere;
    }

    if (!Array.isArray(given.adminCidrs) || given.adminCidrs.length === 0) {
        throw new ArgumentError(
            "args.firewall.adminCidrs",
            'is required: the addresses or CIDRs SSH is admitted from, for example ["203.0.113.0/24"] (CIS 1.2.1)',
        );
    }
    const admin = given.adminCidrs.map((value, i) => {
        const argument = `args.firewall.adminCidrs[${i}]`;
        const cidr = parseCidr(argument, value);
        if (cidr.prefix === 0 && anywhere === undefined) {
            throw new ArgumentError(
                argument,
                `is ${cidrText(cidr)}, which admits SSH from anywhere; list the admin networks, or give args.firewall.allowSshFromAnywhere (CIS 1.2.1)`,
            );
        }
        return cidr;
    });

    const taken = new Map<string, string>();
    const hostPorts = portList("hostPorts", given.hostPorts, sshPort, taken);
    const publishedPorts = portList("publishedPorts", given.publishedPorts, sshPort, taken);

    return {
        sshPort,
        adminCidrs: sourcePlan(admin),
        hostPorts,
        publishedPorts,
        rollbackSeconds: integer(
            "args.firewall.rollbackSeconds",
            given.rollbackSeconds ?? FIREWALL_DEFAULTS.rollbackSeconds,
            30,
            3600,
        ),
        logRatePerMinute: integer(
            "args.firewall.logRatePerMinute",
            given.logRatePerMinute ?? FIREWALL_DEFAULTS.logRatePerMinute,
            1,
            600,
        ),
        waivers,
    };
}
