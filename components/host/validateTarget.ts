import * as ipaddr from "ipaddr.js";
import { ArgumentError, waiverReason } from "../common/errors";
import { AMI_FILTERS, type AwsOs, type HostTarget } from "./targets";

/** The Docker engine's API and swarm ports: never opened to anyone (CIS 2.7). */
export const DOCKER_API_PORTS: readonly number[] = Object.freeze([2375, 2376, 2377]);

export interface AdminCidrs {
    ipv4: string[];
    ipv6: string[];
}

/** Checks the CIDRs that may reach SSH; at least one, none that is the whole Internet. */
export function validateAdminCidrs(cidrs: unknown): AdminCidrs {
    if (!Array.isArray(cidrs) || cidrs.length === 0) {
        throw new ArgumentError(
            "args.adminCidrs",
            'must list at least one CIDR that may reach SSH, for example ["203.0.113.0/24"]',
        );
    }
    const out: AdminCidrs = { ipv4: [], ipv6: [] };
    cidrs.forEach((c, i) => {
        const argument = `args.adminCidrs[${i}]`;
        if (typeof c !== "string" || !ipaddr.isValidCIDR(c)) {
            throw new ArgumentError(
                argument,
                `must be a CIDR such as 203.0.113.0/24 or 2001:db8::/48, got ${JSON.stringify(c)}`,
            );
        }
        const [address, prefix] = ipaddr.parseCIDR(c);
        if (prefix === 0) {
            throw new ArgumentError(argument, `is ${c}, the whole Internet; name the networks admins connect from`);
        }
        const network =
            address.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(c) : ipaddr.IPv6.networkAddressFromCIDR(c);
        const normal = `${network.toString()}/${prefix}`;
        (address.kind() === "ipv4" ? out.ipv4 : out.ipv6).push(normal);
    });
    out.ipv4 = [...new Set(out.ipv4)].sort();
    out.ipv6 = [...new Set(out.ipv6)].sort();
    return out;
}

export interface TargetPlan {
    kind: "aws" | "ssh";
    /** The SSH user the steps connect as. */
    user: string;
    os?: AwsOs;
    instanceType?: string;
    rootVolumeGb?: number;
    dataVolumeGb?: number;
    publicIpReason?: string;
    retainDataVolume?: boolean;
    tags?: Record<string, string>;
    dataDevice?: string;
}

const USER = /^[a-z_][a-z0-9_-]{0,31}$/;

function integer(argument: string, value: unknown, min: number, max: number): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        throw new ArgumentError(argument, `must be a whole number from ${min} to ${max}, got ${String(value)}`);
    }
    return value;
}

function required(argument: string, value: unknown, what: string): void {
    if (value === undefined || value === null || value === "") {
        throw new ArgumentError(argument, `is required: ${what}`);
    }
}

/** Validates the target and fills in its defaults. */
export function validateTarget(target: HostTarget | undefined): TargetPlan {
    if (target === undefined || target === null || typeof target !== "object") {
        throw new ArgumentError("args.target", 'is required: { kind: "aws", ... } or { kind: "ssh", ... }');
    }
    if (target.kind === "ssh") {
        required("args.target.address", target.address, "the host's address");
        required("args.target.privateKey", target.privateKey, "the SSH private key, as a Pulumi secret");
        if (typeof target.user !== "string" || !USER.test(target.user)) {
            throw new ArgumentError("args.target.user", `must be a user name, got ${JSON.stringify(target.user)}`);
        }
        if (target.user === "root") {
            throw new ArgumentError(
                "args.target.user",
                "is root, whose SSH login the hardening turns off; use a user with passwordless sudo",
            );
        }
        if (
            typeof target.dataDevice !== "string" ||
            !/^\/dev\/[A-Za-z0-9][A-Za-z0-9._:\/-]*$/.test(target.dataDevice) ||
            target.dataDevice.includes("..")
        ) {
            throw new ArgumentError(
                "args.target.dataDevice",
                `must be a block device path such as /dev/vdb or /dev/disk/by-id/..., got ${JSON.stringify(target.dataDevice)}`,
            );
        }
        return { kind: "ssh", user: target.user, dataDevice: target.dataDevice };
    }
    if (target.kind === "aws") {
        required("args.target.subnetId", target.subnetId, "the subnet to start the instance in");
        required("args.target.vpcId", target.vpcId, "the subnet's VPC, for the security group");
        required("args.target.publicKey", target.publicKey, "the SSH public key for the key pair");
        required("args.target.privateKey", target.privateKey, "the matching private key, as a Pulumi secret");
        const os = target.os ?? "debian-12";
        if (!(os in AMI_FILTERS)) {
            throw new ArgumentError(
                "args.target.os",
                `must be one of ${Object.keys(AMI_FILTERS).join(", ")}, got ${JSON.stringify(os)}`,
            );
        }
        const instanceType = target.instanceType ?? "t3.medium";
        if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(instanceType)) {
            throw new ArgumentError(
                "args.target.instanceType",
                `must be an EC2 instance type such as t3.medium, got ${JSON.stringify(instanceType)}`,
            );
        }
        const tags: Record<string, string> = {};
        for (const [k, v] of Object.entries(target.tags ?? {})) {
            if (k.startsWith("aws:") || k.length > 128 || typeof v !== "string" || v.length > 256) {
                throw new ArgumentError(
                    `args.target.tags["${k}"]`,
                    "must be a key up to 128 characters, not under aws:, with a string value up to 256",
                );
            }
            tags[k] = v;
        }
        return {
            kind: "aws",
            user: AMI_FILTERS[os].user,
            os,
            instanceType,
            rootVolumeGb: integer("args.target.rootVolumeGb", target.rootVolumeGb ?? 20, 8, 16384),
            dataVolumeGb: integer("args.target.dataVolumeGb", target.dataVolumeGb ?? 50, 10, 16384),
            publicIpReason: waiverReason("args.target.publicIp", target.publicIp),
            retainDataVolume: target.retainDataVolume ?? true,
            tags,
        };
    }
    throw new ArgumentError(
        "args.target.kind",
        `must be "aws" or "ssh", got ${JSON.stringify((target as { kind?: unknown }).kind)}`,
    );
}

/** Checks the SSH port: 1 to 65535, and never a Docker API port. */
export function validateSshPort(port: unknown): number {
    const p = integer("args.sshPort", port ?? 22, 1, 65535);
    if (DOCKER_API_PORTS.includes(p)) {
        throw new ArgumentError("args.sshPort", `is ${p}, a Docker API port; choose another`);
    }
    return p;
}

/** Checks Docker's data root: an absolute, normal path that is not a system directory. */
export function validateDataRoot(dataRoot: unknown): string {
    const value = dataRoot ?? "/var/lib/docker";
    if (
        typeof value !== "string" ||
        !/^\/[A-Za-z0-9._\/-]+$/.test(value) ||
        value.includes("//") ||
        /(^|\/)\.\.?(\/|$)/.test(value) ||
        value.endsWith("/")
    ) {
        throw new ArgumentError(
            "args.dataRoot",
            `must be an absolute path such as /var/lib/docker, got ${JSON.stringify(value)}`,
        );
    }
    if (["/", "/var", "/var/lib", "/srv", "/home", "/usr", "/etc", "/opt", "/boot", "/tmp"].includes(value)) {
        throw new ArgumentError(
            "args.dataRoot",
            `is ${value}, a system directory; use a directory of its own such as /var/lib/docker`,
        );
    }
    return value;
}
