/**
 * The properties of `@pulumi/aws` 7.48.0 resources that the AWS policies read, as the engine sends
 * them (plain values; absent means the provider's or AWS's default). Names and value types follow
 * the SDK's input types; test/policy-pack/awsSchema.test.ts checks them with `tsc`.
 */
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import * as ipaddr from "ipaddr.js";

export interface MetadataOptionsProps {
    httpEndpoint?: string;
    httpTokens?: string;
    httpPutResponseHopLimit?: number;
}

export interface InstanceBlockDeviceProps {
    encrypted?: boolean;
    kmsKeyId?: string;
}

/** `aws:ec2/instance:Instance`. */
export interface InstanceProps {
    associatePublicIpAddress?: boolean;
    metadataOptions?: MetadataOptionsProps;
    rootBlockDevice?: InstanceBlockDeviceProps;
    ebsBlockDevices?: (InstanceBlockDeviceProps & { deviceName: string })[];
}

/**
 * `aws:ec2/spotInstanceRequest:SpotInstanceRequest`: the instance it launches takes the same
 * inputs, under the same names, as an Instance's.
 */
export type SpotInstanceRequestProps = InstanceProps;

/** `aws:ec2/launchTemplate:LaunchTemplate`: its booleans are strings ("true"/"false") in the SDK. */
export interface LaunchTemplateProps {
    metadataOptions?: MetadataOptionsProps;
    blockDeviceMappings?: { deviceName?: string; ebs?: { encrypted?: string; kmsKeyId?: string } }[];
    networkInterfaces?: { associatePublicIpAddress?: string }[];
}

/** `aws:ebs/volume:Volume`. */
export interface VolumeProps {
    encrypted?: boolean;
    kmsKeyId?: string;
}

/** One rule of `aws:ec2/securityGroup:SecurityGroup`'s inline `ingress`. */
export interface SecurityGroupIngressProps {
    protocol: string;
    fromPort: number;
    toPort: number;
    cidrBlocks?: string[];
    ipv6CidrBlocks?: string[];
}

/** `aws:ec2/securityGroup:SecurityGroup`. */
export interface SecurityGroupProps {
    ingress?: SecurityGroupIngressProps[];
}

/**
 * `aws:ec2/defaultSecurityGroup:DefaultSecurityGroup`, a VPC's default group: its inline `ingress`
 * has a security group's shape.
 */
export type DefaultSecurityGroupProps = SecurityGroupProps;

/** `aws:ec2/securityGroupRule:SecurityGroupRule`: `type` is "ingress" or "egress". */
export interface SecurityGroupRuleProps {
    type: string;
    protocol: string;
    fromPort: number;
    toPort: number;
    cidrBlocks?: string[];
    ipv6CidrBlocks?: string[];
}

/** `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule`: one source per rule. */
export interface SecurityGroupIngressRuleProps {
    ipProtocol: string;
    fromPort?: number;
    toPort?: number;
    cidrIpv4?: string;
    cidrIpv6?: string;
}

/**
 * The launch template's string booleans as the provider reads them: "true" or "1" (its validator
 * takes "", "0", "1", "false" and "true", "" meaning unset). A JavaScript program can also pass a
 * real boolean, which the provider converts.
 */
export function isTrue(value: string | boolean | undefined | null): boolean {
    return value === true || value === "true" || value === "1";
}

/** An absent launch template string boolean: undefined, null or "". */
export function isUnsetString(value: string | boolean | undefined | null): value is undefined | null | "" {
    return value === undefined || value === null || value === "";
}

/**
 * The address family a CIDR opens to every address of (prefix length 0: `0.0.0.0/0`, `::/0`, or
 * any other spelling of them), or undefined for a narrower or invalid one (AWS rejects the latter).
 */
export function everyAddressFamily(cidr: unknown): "ipv4" | "ipv6" | undefined {
    const parsed = parseCidr(cidr);
    return parsed?.prefix === 0 ? parsed.family : undefined;
}

/** The addresses a CIDR spans, as integers (host bits ignored), in its address family. */
export interface CidrRange {
    family: "ipv4" | "ipv6";
    first: bigint;
    last: bigint;
}

const FAMILY_BITS = { ipv4: 32n, ipv6: 128n } as const;

/** The range of a CIDR (`10.0.0.0/8`, `2001:db8::/32`), or undefined for an invalid one. */
export function cidrRange(cidr: unknown): CidrRange | undefined {
    const parsed = parseCidr(cidr);
    return parsed === undefined ? undefined : { family: parsed.family, first: parsed.first, last: parsed.last };
}

/** A CIDR as ipaddr.js reads it: its family, prefix length and range. */
interface ParsedCidr extends CidrRange {
    prefix: number;
}

/**
 * Parsed CIDRs by their text (null for an invalid one). A stack repeats the same few sources (an
 * office range, a VPN's, `0.0.0.0/0`) on many rules, and every rule of every security group is
 * read on every preview: ipaddr.js tries IPv6 first and throws on every IPv4 CIDR, which made
 * parsing most of the admin-ports policy's time (bench/policy). Cleared when full, so a stack of
 * distinct CIDRs costs at most this many entries.
 */
const PARSED_CIDRS = new Map<string, ParsedCidr | null>();
const PARSED_CIDRS_LIMIT = 4096;

/** ipaddr.js's `parseCIDR` of the trimmed text, as a family, prefix and range; undefined if invalid. */
export function parseCidr(cidr: unknown): ParsedCidr | undefined {
    if (typeof cidr !== "string") {
        return undefined;
    }
    let parsed = PARSED_CIDRS.get(cidr);
    if (parsed === undefined) {
        parsed = parseCidrUncached(cidr.trim());
        if (PARSED_CIDRS.size >= PARSED_CIDRS_LIMIT) {
            PARSED_CIDRS.clear();
        }
        PARSED_CIDRS.set(cidr, parsed);
    }
    return parsed ?? undefined;
}

function parseCidrUncached(cidr: string): ParsedCidr | null {
    let address: ipaddr.IPv4 | ipaddr.IPv6;
    let prefix: number;
    try {
        // What ipaddr.parseCIDR accepts, without its IPv6 attempt (and exception) on every IPv4
        // CIDR: an IPv6 CIDR always has a colon, an IPv4 one never (test/policy-pack/lib/aws.test.ts
        // checks the two agree).
        [address, prefix] = cidr.includes(":") ? ipaddr.IPv6.parseCIDR(cidr) : ipaddr.IPv4.parseCIDR(cidr);
    } catch {
        return null;
    }
    const family = address.kind();
    let value = 0n;
    for (const byte of address.toByteArray()) {
        value = (value << 8n) | BigInt(byte);
    }
    const size = 1n << (FAMILY_BITS[family] - BigInt(prefix));
    const first = value - (value % size);
    return { family, prefix, first, last: first + size - 1n };
}

/** Whether the ranges (all of one family), together, are every address of that family. */
export function coverEveryAddress(family: CidrRange["family"], ranges: readonly CidrRange[]): boolean {
    const end = 1n << FAMILY_BITS[family];
    const sorted = ranges
        .filter((r) => r.family === family)
        .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    // The first address not covered yet.
    let next = 0n;
    for (const r of sorted) {
        if (r.first > next) {
            return false;
        }
        if (r.last + 1n > next) {
            next = r.last + 1n;
        }
    }
    return next >= end;
}

/** A family whose addresses a list's CIDRs cover together, none of them alone. */
export interface JointCover {
    family: CidrRange["family"];
    /**
     * The positions of the CIDRs that make up the cover, ascending: each one not inside another
     * listed CIDR (of equal ones, the first).
     */
    indices: number[];
}

/**
 * The address families that a list of CIDRs (undefined for one unknown during preview, which adds
 * nothing) opens to every address only together: `0.0.0.0/1` and `128.0.0.0/1`, for one. A family
 * that a single CIDR opens wholly (prefix length 0) is left to `everyAddressFamily`.
 */
export function jointlyEveryAddress(cidrs: readonly unknown[]): JointCover[] {
    const ranges = cidrs.map((c) => cidrRange(c));
    const out: JointCover[] = [];
    for (const family of ["ipv4", "ipv6"] as const) {
        const mine = ranges.flatMap((r, i) => (r?.family === family ? [{ r, i }] : []));
        const end = (1n << FAMILY_BITS[family]) - 1n;
        const alone = mine.some(({ r }) => r.first === 0n && r.last === end);
        const spans = mine.map(({ r }) => r);
        if (alone || !coverEveryAddress(family, spans)) {
            continue;
        }
        const inside = (a: { r: CidrRange; i: number }, b: { r: CidrRange; i: number }) =>
            b.r.first <= a.r.first &&
            a.r.last <= b.r.last &&
            // Of two equal ranges, the later one is inside the earlier.
            (b.r.first !== a.r.first || b.r.last !== a.r.last || b.i < a.i);
        const indices = mine.filter((a) => !mine.some((b) => b !== a && inside(a, b))).map(({ i }) => i);
        out.push({ family, indices });
    }
    return out;
}

/** `a`, `a and b`, `a, b and c`. */
export function andList(items: readonly string[]): string {
    return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** What an ingress rule opens of the listed ports. */
export interface OpenedPorts {
    /** The rule is for every protocol, so every port. */
    every: boolean;
    /** The listed ports the rule opens, ascending. */
    ports: number[];
}

/**
 * The listed ports an ingress rule opens: every one for protocol `-1`/`all`, those in
 * fromPort..toPort for TCP (`tcp`/`6`), none for other protocols (SSH, the Docker API and the
 * swarm manager port are TCP).
 */
export function openedPorts(
    protocol: string | undefined,
    fromPort: number | undefined,
    toPort: number | undefined,
    listed: readonly number[],
): OpenedPorts {
    const sorted = [...new Set(listed)].sort((a, b) => a - b);
    const p = String(protocol ?? "")
        .trim()
        .toLowerCase();
    if (p === "-1" || p === "all") {
        return { every: true, ports: sorted };
    }
    if ((p === "tcp" || p === "6") && typeof fromPort === "number" && typeof toPort === "number") {
        return { every: false, ports: sorted.filter((port) => fromPort <= port && port <= toPort) };
    }
    return { every: false, ports: [] };
}

/** `port 22`, `ports 22 and 2375`, `ports 22, 2375 and 2376`. */
export function portList(ports: readonly number[]): string {
    return `${ports.length === 1 ? "port" : "ports"} ${andList(ports.map(String))}`;
}

/** The `requiredKmsKeyId` setting of the encryption policies. */
export interface KmsConfig {
    requiredKmsKeyId: string;
}

export const REQUIRED_KMS_KEY_SCHEMA: PolicyConfigJSONSchema = {
    type: "string",
    default: "",
    description:
        "The KMS key (as the programs write kmsKeyId, usually its ARN; compared exactly) every EBS volume must be encrypted with; empty allows any key.",
};

/** A volume's key (`field` is the path of its kmsKeyId) against the org's: a sentence, or nothing when it matches or none is required. */
export function volumeKey(field: string, kmsKeyId: string | undefined | null, c: KmsConfig): string | undefined {
    if (c.requiredKmsKeyId === "" || kmsKeyId === c.requiredKmsKeyId) {
        return undefined;
    }
    // Names the key the org configured, never the volume's own value.
    return kmsKeyId === undefined || kmsKeyId === null || kmsKeyId === ""
        ? `${field} is not set, so the volume uses the account's default EBS key; expected ${c.requiredKmsKeyId}, the key requiredKmsKeyId names (CIS AWS 2.2.1).`
        : `${field} is another key; expected ${c.requiredKmsKeyId}, the key requiredKmsKeyId names (CIS AWS 2.2.1).`;
}
