/**
 * Compliant AWS resources in wire form, as the engine sends them; each violation test changes one
 * field. `satisfies` checks every name and value type against @pulumi/aws 7.48.0's inputs.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

export const INSTANCE = "aws:ec2/instance:Instance";
export const SPOT_INSTANCE = "aws:ec2/spotInstanceRequest:SpotInstanceRequest";
export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
export const VOLUME = "aws:ebs/volume:Volume";
export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
export const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

export const KMS_KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
export const OTHER_KMS_KEY = "arn:aws:kms:eu-west-1:111122223333:key/ffffffff-12ab-34cd-56ef-1234567890ab";

type Props = Record<string, unknown>;

export function compliantInstance(): Props {
    return {
        ami: "ami-0123456789abcdef0",
        instanceType: "t3.small",
        subnetId: "subnet-0123456789abcdef0",
        vpcSecurityGroupIds: ["sg-0123456789abcdef0"],
        associatePublicIpAddress: false,
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        rootBlockDevice: { encrypted: true, kmsKeyId: KMS_KEY, volumeSize: 30, volumeType: "gp3" },
        ebsBlockDevices: [
            { deviceName: "/dev/sdf", encrypted: true, kmsKeyId: KMS_KEY, volumeSize: 100, volumeType: "gp3" },
        ],
    } satisfies pulumi.Unwrap<aws.ec2.InstanceArgs>;
}

export function compliantSpotInstanceRequest(): Props {
    return {
        ami: "ami-0123456789abcdef0",
        instanceType: "t3.small",
        spotPrice: "0.01",
        subnetId: "subnet-0123456789abcdef0",
        vpcSecurityGroupIds: ["sg-0123456789abcdef0"],
        associatePublicIpAddress: false,
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        rootBlockDevice: { encrypted: true, kmsKeyId: KMS_KEY, volumeSize: 30, volumeType: "gp3" },
        ebsBlockDevices: [
            { deviceName: "/dev/sdf", encrypted: true, kmsKeyId: KMS_KEY, volumeSize: 100, volumeType: "gp3" },
        ],
    } satisfies pulumi.Unwrap<aws.ec2.SpotInstanceRequestArgs>;
}

export function compliantLaunchTemplate(): Props {
    return {
        imageId: "ami-0123456789abcdef0",
        instanceType: "t3.small",
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [
            { deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: KMS_KEY, volumeSize: 30 } },
            // An instance store volume: no EBS, nothing to encrypt.
            { deviceName: "/dev/sdb", virtualName: "ephemeral0" },
        ],
        networkInterfaces: [
            {
                associatePublicIpAddress: "false",
                subnetId: "subnet-0123456789abcdef0",
                securityGroups: ["sg-0123456789abcdef0"],
            },
        ],
    } satisfies pulumi.Unwrap<aws.ec2.LaunchTemplateArgs>;
}

export function compliantVolume(): Props {
    return {
        availabilityZone: "eu-west-1a",
        size: 100,
        type: "gp3",
        encrypted: true,
        kmsKeyId: KMS_KEY,
    } satisfies pulumi.Unwrap<aws.ebs.VolumeArgs>;
}

/** SSH from the VPC only; HTTPS from anywhere and all egress, which the policy leaves alone. */
export function compliantSecurityGroup(): Props {
    return {
        vpcId: "vpc-0123456789abcdef0",
        ingress: [
            { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/16"] },
            { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
            { protocol: "udp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] },
        ],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }],
    } satisfies pulumi.Unwrap<aws.ec2.SecurityGroupArgs>;
}

/** A VPC's default group, kept to traffic from its own members plus SSH from the VPC. */
export function compliantDefaultSecurityGroup(): Props {
    return {
        vpcId: "vpc-0123456789abcdef0",
        ingress: [
            { protocol: "-1", fromPort: 0, toPort: 0, self: true },
            { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/16"], ipv6CidrBlocks: ["fd00::/8"] },
        ],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    } satisfies pulumi.Unwrap<aws.ec2.DefaultSecurityGroupArgs>;
}

export function compliantSecurityGroupRule(): Props {
    return {
        type: "ingress",
        securityGroupId: "sg-0123456789abcdef0",
        protocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrBlocks: ["10.0.0.0/8"],
        ipv6CidrBlocks: ["fd00::/8"],
    } satisfies pulumi.Unwrap<aws.ec2.SecurityGroupRuleArgs>;
}

export function compliantIngressRule(): Props {
    return {
        securityGroupId: "sg-0123456789abcdef0",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
    } satisfies pulumi.Unwrap<aws.vpc.SecurityGroupIngressRuleArgs>;
}
