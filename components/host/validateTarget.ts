import { ArgumentError, integer, waiverReason } from "../common/errors";
import { AMI_FILTERS, type AwsOs, type HostTarget } from "./targets";

/** The Docker engine's API and swarm ports: never opened to anyone (CIS 2.7). */
export const DOCKER_API_PORTS: readonly number[] = Object.freeze([2375, 2376, 2377]);

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
    /** The port the steps connect to (ssh target), when it is not sshd's own. */
    port?: number;
}

const USER = /^[a-z_][a-z0-9_-]{0,31}$/;

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
        return {
            kind: "ssh",
            user: target.user,
            dataDevice: target.dataDevice,
            ...(target.port === undefined ? {} : { port: integer("args.target.port", target.port, 1, 65535) }),
        };
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

/** Refuses a host or published port that is a Docker API port: those are never opened (CIS 2.7). */
export function validateNoDockerApiPorts(firewall: {
    hostPorts?: { port: number }[];
    publishedPorts?: { port: number }[];
}): void {
    for (const field of ["hostPorts", "publishedPorts"] as const) {
        (firewall[field] ?? []).forEach((p, i) => {
            if (DOCKER_API_PORTS.includes(p.port)) {
                throw new ArgumentError(
                    `args.firewall.${field}[${i}].port`,
                    `is ${p.port}, a Docker API port (2375, 2376, 2377), which is never opened; reach the engine over SSH`,
                );
            }
        });
    }
}
