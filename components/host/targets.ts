import type * as pulumi from "@pulumi/pulumi";
import type { Waiver } from "../common/errors";

/** The operating systems the AWS target can start, each looked up as the newest official AMI. */
export type AwsOs = "debian-12" | "ubuntu-22.04" | "ubuntu-24.04";

/** Create the host on AWS: an EC2 instance with a dedicated encrypted EBS volume for Docker's data. */
export interface AwsTargetArgs {
    kind: "aws";
    /**
     * The OS image, looked up by owner and name filter (never a hard-coded AMI id).
     * @default "debian-12"
     */
    os?: AwsOs;
    /**
     * Instance type.
     * @default "t3.medium"
     */
    instanceType?: string;
    /** The subnet to start the instance in (your VPC's). */
    subnetId: pulumi.Input<string>;
    /** The VPC of that subnet, for the security group. */
    vpcId: pulumi.Input<string>;
    /** The SSH public key (OpenSSH format) for the instance's key pair. */
    publicKey: pulumi.Input<string>;
    /** The matching private key, a Pulumi secret: the hardening steps connect with it. */
    privateKey: pulumi.Input<string>;
    /**
     * Root volume size in GiB (encrypted, gp3).
     * @default 20
     */
    rootVolumeGb?: number;
    /**
     * Size of the dedicated data volume for Docker's data root, in GiB (encrypted, gp3; CIS 1.1.1).
     * @default 50
     */
    dataVolumeGb?: number;
    /**
     * A KMS key for both volumes.
     * @default the account's default EBS key
     */
    kmsKeyId?: pulumi.Input<string>;
    /**
     * Give the instance a public IPv4 address (the steps then connect to it). Needs a reason: a Docker
     * host is better reached through a VPN or bastion.
     * @default no public address
     */
    publicIp?: Waiver;
    /**
     * Keep the data volume when the stack is destroyed: it holds every image, container and volume.
     * @default true
     */
    retainDataVolume?: boolean;
    /**
     * Tags for every AWS resource.
     * @default {}
     */
    tags?: Record<string, string>;
}

/** Harden a machine that already exists, over SSH. */
export interface SshTargetArgs {
    kind: "ssh";
    /** The host's address (IP or DNS name). */
    address: pulumi.Input<string>;
    /**
     * The SSH user: not root (root login is turned off); needs passwordless sudo.
     */
    user: string;
    /** The user's private key, a Pulumi secret. */
    privateKey: pulumi.Input<string>;
    /**
     * The host's public key (`ssh-ed25519 AAAA...`), pinned so the connection refuses an impostor.
     * @default not pinned
     */
    hostKey?: pulumi.Input<string>;
    /** The block device for Docker's data root: `/dev/vdb`, `/dev/disk/by-id/...` (CIS 1.1.1). */
    dataDevice: string;
    /**
     * The port to connect to, when a NAT or port forward sits in front of the host and it differs
     * from the port sshd listens on (`args.sshPort`, which the firewall admits): the local sandbox
     * forwards 127.0.0.1:2222 to its sshd on 22.
     * @default args.sshPort
     */
    port?: number;
}

export type HostTarget = AwsTargetArgs | SshTargetArgs;

/** The official AMI owners and name patterns, per OS (x86_64, HVM). */
export const AMI_FILTERS: Readonly<Record<AwsOs, { owner: string; name: string; user: string }>> = Object.freeze({
    // Debian's cloud team account.
    "debian-12": { owner: "136693071363", name: "debian-12-amd64-*", user: "admin" },
    // Canonical's account.
    "ubuntu-22.04": {
        owner: "099720109477",
        name: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*",
        user: "ubuntu",
    },
    "ubuntu-24.04": {
        owner: "099720109477",
        name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*",
        user: "ubuntu",
    },
});
