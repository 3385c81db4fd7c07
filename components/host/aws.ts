import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AMI_FILTERS, type AwsOs, type AwsTargetArgs } from "./targets";
import type { TargetPlan } from "./validateTarget";

/** A port the security group admits besides SSH, with its sources split by family. */
export interface IngressPort {
    port: number;
    protocol: "tcp" | "udp";
    ipv4: string[];
    ipv6: string[];
    description: string;
}

/** The AWS resources of a host. */
export interface AwsHost {
    instance: aws.ec2.Instance;
    securityGroup: aws.ec2.SecurityGroup;
    keyPair: aws.ec2.KeyPair;
    dataVolume: aws.ebs.Volume;
    attachment: aws.ec2.VolumeAttachment;
    address: pulumi.Output<string>;
}

/** The AMI lookup's arguments: newest official image of the OS, x86_64, HVM, EBS-backed. */
export function amiQuery(os: AwsOs): aws.ec2.GetAmiArgs {
    const f = AMI_FILTERS[os];
    return {
        mostRecent: true,
        owners: [f.owner],
        filters: [
            { name: "name", values: [f.name] },
            { name: "architecture", values: ["x86_64"] },
            { name: "virtualization-type", values: ["hvm"] },
            { name: "root-device-type", values: ["ebs"] },
        ],
    };
}

/** Security group rules: SSH from the admin CIDRs, the listed ports from their sources, nothing else in. */
export function securityGroupIngress(
    sshPort: number,
    admin: { v4: string[]; v6: string[] },
    ports: IngressPort[],
): aws.types.input.ec2.SecurityGroupIngress[] {
    const rule = (port: number, protocol: string, ipv4: string[], ipv6: string[], description: string) => {
        const r: aws.types.input.ec2.SecurityGroupIngress = { protocol, fromPort: port, toPort: port, description };
        if (ipv4.length > 0) {
            r.cidrBlocks = ipv4;
        }
        if (ipv6.length > 0) {
            r.ipv6CidrBlocks = ipv6;
        }
        return r;
    };
    return [
        rule(sshPort, "tcp", admin.v4, admin.v6, "SSH from the admin networks"),
        ...ports.map((p) => rule(p.port, p.protocol, p.ipv4, p.ipv6, p.description)),
    ];
}

/**
 * The instance (IMDSv2 only, hop limit 1, encrypted root volume), its key pair and security group,
 * and an encrypted EBS volume attached for Docker's data (found on the host by its volume id).
 */
export function createAwsHost(
    name: string,
    args: AwsTargetArgs,
    plan: TargetPlan,
    sshPort: number,
    admin: { v4: string[]; v6: string[] },
    ports: IngressPort[],
    parent: pulumi.Resource,
): AwsHost {
    const tags = { ...plan.tags, "hardened-docker:host": name };
    const opts = { parent };
    const ami = aws.ec2.getAmiOutput(amiQuery(plan.os!), opts);
    const keyPair = new aws.ec2.KeyPair(`${name}-key`, { publicKey: args.publicKey, tags }, opts);
    const securityGroup = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
            vpcId: args.vpcId,
            description: `hardened-docker host ${name}: SSH from admin networks and published ports only`,
            ingress: securityGroupIngress(sshPort, admin, ports),
            egress: [
                {
                    protocol: "-1",
                    fromPort: 0,
                    toPort: 0,
                    cidrBlocks: ["0.0.0.0/0"],
                    ipv6CidrBlocks: ["::/0"],
                    description: "Package mirrors, registries and the log host",
                },
            ],
            tags,
        },
        opts,
    );
    const instance = new aws.ec2.Instance(
        `${name}-instance`,
        {
            ami: ami.id,
            instanceType: plan.instanceType,
            subnetId: args.subnetId,
            vpcSecurityGroupIds: [securityGroup.id],
            keyName: keyPair.keyName,
            associatePublicIpAddress: plan.publicIpReason !== undefined,
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            rootBlockDevice: {
                encrypted: true,
                volumeType: "gp3",
                volumeSize: plan.rootVolumeGb,
                deleteOnTermination: true,
                ...(args.kmsKeyId === undefined ? {} : { kmsKeyId: args.kmsKeyId }),
            },
            tags: { ...tags, Name: name },
            volumeTags: tags,
        },
        opts,
    );
    const dataVolume = new aws.ebs.Volume(
        `${name}-data`,
        {
            availabilityZone: instance.availabilityZone,
            size: plan.dataVolumeGb,
            type: "gp3",
            encrypted: true,
            ...(args.kmsKeyId === undefined ? {} : { kmsKeyId: args.kmsKeyId }),
            tags: { ...tags, Name: `${name}-docker-data` },
        },
        { ...opts, retainOnDelete: plan.retainDataVolume },
    );
    const attachment = new aws.ec2.VolumeAttachment(
        `${name}-data`,
        // The device name is only a hint on Nitro instances: the step finds the disk by volume id.
        { deviceName: "/dev/sdf", volumeId: dataVolume.id, instanceId: instance.id, stopInstanceBeforeDetaching: true },
        opts,
    );
    const address = plan.publicIpReason !== undefined ? instance.publicIp : instance.privateIp;
    return { instance, securityGroup, keyPair, dataVolume, attachment, address };
}
