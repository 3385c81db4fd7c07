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
    if (typeof cidr !== "string") {
        return undefined;
    }
    try {
        const [address, prefix] = ipaddr.parseCIDR(cidr.trim());
        return prefix === 0 ? address.kind() : undefined;
    } catch {
        return undefined;
    }
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
    if (ports.length === 1) {
        return `port ${ports[0]}`;
    }
    return `ports ${ports.slice(0, -1).join(", ")} and ${ports[ports.length - 1]}`;
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
