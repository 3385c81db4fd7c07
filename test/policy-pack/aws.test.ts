import * as assert from "node:assert/strict";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import { AWS_POLICIES } from "../../policy-pack/policies/aws";
import { checkPolicyConfig } from "../../scripts/check-policy-config";
import { expected } from "./fixtures";
import { policyPack, UNKNOWN, urnOf, type PackConfig, type PolicyPackClient } from "../harness/policyPack";
import {
    compliantDefaultSecurityGroup,
    compliantIngressRule,
    compliantInstance,
    compliantLaunchTemplate,
    compliantSecurityGroup,
    compliantSecurityGroupRule,
    compliantSpotInstanceRequest,
    compliantVolume,
    DEFAULT_SECURITY_GROUP,
    INGRESS_RULE,
    INSTANCE,
    KMS_KEY,
    LAUNCH_TEMPLATE,
    OTHER_KMS_KEY,
    SECURITY_GROUP,
    SECURITY_GROUP_RULE,
    SPOT_INSTANCE,
    VOLUME,
} from "./awsFixtures";

/** Every setting at its default: configure() replaces the whole config, so each test starts here. */
const BASE_CONFIG: PackConfig = {};

const IMDS = "aws-instance-require-imdsv2";
const VOLUMES = "aws-instance-require-encrypted-volumes";
const EBS = "aws-ebs-require-encryption";
const PUBLIC_IP = "aws-instance-disallow-public-ip";
const ADMIN_PORTS = "aws-security-group-disallow-public-admin-ports";
// A rule over several resource types is one policy per type, named after the type.
const IMDS_SPOT = "aws-spot-instance-request-require-imdsv2";
const IMDS_TEMPLATE = "aws-launch-template-require-imdsv2";
const VOLUMES_SPOT = "aws-spot-instance-request-require-encrypted-volumes";
const VOLUMES_TEMPLATE = "aws-launch-template-require-encrypted-volumes";
const PUBLIC_IP_SPOT = "aws-spot-instance-request-disallow-public-ip";
const PUBLIC_IP_TEMPLATE = "aws-launch-template-disallow-public-ip";
const ADMIN_PORTS_DEFAULT = "aws-default-security-group-disallow-public-admin-ports";
const ADMIN_PORTS_RULE = "aws-security-group-rule-disallow-public-admin-ports";
const ADMIN_PORTS_INGRESS = "aws-security-group-ingress-rule-disallow-public-admin-ports";

/** The policy that applies each rule (named by its first policy) to each resource type. */
const POLICY_FOR: Record<string, Record<string, string>> = {
    [IMDS]: { [INSTANCE]: IMDS, [SPOT_INSTANCE]: IMDS_SPOT, [LAUNCH_TEMPLATE]: IMDS_TEMPLATE },
    [VOLUMES]: { [INSTANCE]: VOLUMES, [SPOT_INSTANCE]: VOLUMES_SPOT, [LAUNCH_TEMPLATE]: VOLUMES_TEMPLATE },
    [EBS]: { [VOLUME]: EBS },
    [PUBLIC_IP]: { [INSTANCE]: PUBLIC_IP, [SPOT_INSTANCE]: PUBLIC_IP_SPOT, [LAUNCH_TEMPLATE]: PUBLIC_IP_TEMPLATE },
    [ADMIN_PORTS]: {
        [SECURITY_GROUP]: ADMIN_PORTS,
        [DEFAULT_SECURITY_GROUP]: ADMIN_PORTS_DEFAULT,
        [SECURITY_GROUP_RULE]: ADMIN_PORTS_RULE,
        [INGRESS_RULE]: ADMIN_PORTS_INGRESS,
    },
};

/** The policy that applies `rule` to `type`; fails the test for a pair the table does not have. */
function policyFor(rule: string, type: string): string {
    const name = POLICY_FOR[rule]?.[type];
    assert.ok(name, `no policy applies ${rule} to ${type}`);
    return name;
}

/** What each policy declares, as the CIS AWS Foundations Benchmark v3.0.0 and the catalogue expect. */
const DECLARED: Record<string, { cis: string; severity: string; config: Record<string, unknown> }> = {
    [EBS]: { cis: "2.2.1", severity: "high", config: { requiredKmsKeyId: "" } },
    [VOLUMES]: { cis: "2.2.1", severity: "high", config: { requiredKmsKeyId: "" } },
    [VOLUMES_SPOT]: { cis: "2.2.1", severity: "high", config: { requiredKmsKeyId: "" } },
    [VOLUMES_TEMPLATE]: { cis: "2.2.1", severity: "high", config: { requiredKmsKeyId: "" } },
    [PUBLIC_IP]: { cis: "5.2", severity: "high", config: { allowPublicIp: false } },
    [PUBLIC_IP_SPOT]: { cis: "5.2", severity: "high", config: { allowPublicIp: false } },
    [PUBLIC_IP_TEMPLATE]: { cis: "5.2", severity: "high", config: { allowPublicIp: false } },
    [ADMIN_PORTS]: { cis: "5.2", severity: "high", config: { ports: [22, 2375, 2376, 2377] } },
    [ADMIN_PORTS_DEFAULT]: { cis: "5.2", severity: "high", config: { ports: [22, 2375, 2376, 2377] } },
    [ADMIN_PORTS_RULE]: { cis: "5.2", severity: "high", config: { ports: [22, 2375, 2376, 2377] } },
    [ADMIN_PORTS_INGRESS]: { cis: "5.2", severity: "high", config: { ports: [22, 2375, 2376, 2377] } },
    [IMDS]: { cis: "5.6", severity: "high", config: {} },
    [IMDS_SPOT]: { cis: "5.6", severity: "high", config: {} },
    [IMDS_TEMPLATE]: { cis: "5.6", severity: "high", config: {} },
};

type Props = Record<string, unknown>;

interface Case {
    title: string;
    type: string;
    props: () => Props;
    change: (p: Props) => void;
    violations: [rule: string, sentence: string][];
}

const FIXTURES: Record<string, () => Props> = {
    [INSTANCE]: compliantInstance,
    [SPOT_INSTANCE]: compliantSpotInstanceRequest,
    [LAUNCH_TEMPLATE]: compliantLaunchTemplate,
    [VOLUME]: compliantVolume,
    [SECURITY_GROUP]: compliantSecurityGroup,
    [DEFAULT_SECURITY_GROUP]: compliantDefaultSecurityGroup,
    [SECURITY_GROUP_RULE]: compliantSecurityGroupRule,
    [INGRESS_RULE]: compliantIngressRule,
};

const obj = (p: Props, key: string) => p[key] as Props;
const list = (p: Props, key: string) => p[key] as Props[];

const UNSET_TOKENS =
    'metadataOptions.httpTokens is not set, so IMDSv1 stays available unless the AMI or the account default requires tokens; expected "required" (CIS AWS 5.6).';
const UNSET_HOPS =
    "metadataOptions.httpPutResponseHopLimit is not set, so AWS takes the AMI's or the account's default (2 for Amazon Linux 2023); expected 1, so that containers cannot reach the instance's credentials (CIS AWS 5.6).";
const UNSET_ENCRYPTION =
    "so the volume is encrypted only if its snapshot is or the account's EBS encryption by default is on";
const NARROWER = "expected a narrower source, such as a bastion's or VPN's range";

/** 0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/3 ... 255.255.255.254/32: every IPv4 address but 255.255.255.255. */
const ALL_BUT_ONE = Array.from({ length: 32 }, (_, i) => {
    const start = 2 ** 32 - 2 ** (32 - i);
    return `${[24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256).join(".")}/${i + 1}`;
});

/** One failing case per violation branch, each made by changing one field of a compliant resource. */
const CASES: Case[] = [
    // aws-instance-require-imdsv2
    {
        title: "an instance without httpTokens",
        type: INSTANCE,
        props: compliantInstance,
        change: (p) => delete obj(p, "metadataOptions").httpTokens,
        violations: [[IMDS, UNSET_TOKENS]],
    },
    {
        title: "an instance with httpTokens optional",
        type: INSTANCE,
        props: compliantInstance,
        change: (p) => (obj(p, "metadataOptions").httpTokens = "optional"),
        violations: [[IMDS, 'metadataOptions.httpTokens is "optional"; expected "required" (CIS AWS 5.6).']],
    },
    {
        title: "an instance without a hop limit",
        type: INSTANCE,
        props: compliantInstance,
        change: (p) => delete obj(p, "metadataOptions").httpPutResponseHopLimit,
        violations: [[IMDS, UNSET_HOPS]],
    },
    {
        title: "an instance with a hop limit of 2",
        type: INSTANCE,
        props: compliantInstance,
        change: (p) => (obj(p, "metadataOptions").httpPutResponseHopLimit = 2),
        violations: [
            [
                IMDS,
                "metadataOptions.httpPutResponseHopLimit is 2; expected 1, so that containers cannot reach the instance's credentials (CIS AWS 5.6).",
            ],
        ],
    },
    {
        title: "an instance without metadataOptions",
        type: INSTANCE,
        props: compliantInstance,
        change: (p) => delete p.metadataOptions,
        violations: [
            [IMDS, UNSET_TOKENS],
            [IMDS, UNSET_HOPS],
        ],
    },
    {
        title: "a launch template with httpTokens optional",
        type: LAUNCH_TEMPLATE,
        props: compliantLaunchTemplate,
        change: (p) => (obj(p, "metadataOptions").httpTokens = "optional"),
        violations: [[IMDS, 'metadataOptions.httpTokens is "optional"; expected "required" (CIS AWS 5.6).']],
    },
    {
        title: "a launch template without a hop limit",
        type: LAUNCH_TEMPLATE,
        props: compliantLaunchTemplate,
        change: (p) => delete obj(p, "metadataOptions").httpPutResponseHopLimit,
        violations: [[IMDS, UNSET_HOPS]],
    },
    // aws-instance-require-encrypted-volumes
    {
        title: "an instance whose root volume does not say encrypted",
        type: INSTANCE,
        props: compliantInstance,
        change: (p) => delete obj(p, "rootBlockDevice").encrypted,
        violations: [
            [VOLUMES, `rootBlockDevice.encrypted is not set, ${UNSET_ENCRYPTION}; expected true (CIS AWS 2.2.1).`],
        ],
    },
    {
        title: "an instance without rootBlockDevice",
        type: INSTANCE,
        props: compliantInstance,
        change: (p) => delete p.rootBlockDevice,
        violations: [
            [VOLUMES, `rootBlockDevice.encrypted is not set, ${UNSET_ENCRYPTION}; expected true (CIS AWS 2.2.1).`],
        ],
    },
    {
        title: "an instance with an unencrypted root volume",
        type: INSTANCE,
        props: compliantInstance,
        change: (p) => (obj(p, "rootBlockDevice").encrypted = false),
        violations: [[VOLUMES, "rootBlockDevice.encrypted is false; expected true (CIS AWS 2.2.1)."]],
    },
    {
        title: "an instance with an unencrypted EBS block device",
        type: INSTANCE,
        props: compliantInstance,
        change: (p) => (list(p, "ebsBlockDevices")[0].encrypted = false),
        violations: [[VOLUMES, "ebsBlockDevices[0].encrypted is false; expected true (CIS AWS 2.2.1)."]],
    },
    {
        title: "an instance with an EBS block device that does not say encrypted",
        type: INSTANCE,
        props: compliantInstance,
        change: (p) => delete list(p, "ebsBlockDevices")[0].encrypted,
        violations: [
            [VOLUMES, `ebsBlockDevices[0].encrypted is not set, ${UNSET_ENCRYPTION}; expected true (CIS AWS 2.2.1).`],
        ],
    },
    {
        title: "a launch template with an unencrypted EBS mapping",
        type: LAUNCH_TEMPLATE,
        props: compliantLaunchTemplate,
        change: (p) => (obj(list(p, "blockDeviceMappings")[0], "ebs").encrypted = "false"),
        violations: [[VOLUMES, 'blockDeviceMappings[0].ebs.encrypted is "false"; expected "true" (CIS AWS 2.2.1).']],
    },
    {
        title: "a launch template with an EBS mapping that does not say encrypted",
        type: LAUNCH_TEMPLATE,
        props: compliantLaunchTemplate,
        change: (p) => delete obj(list(p, "blockDeviceMappings")[0], "ebs").encrypted,
        violations: [
            [
                VOLUMES,
                `blockDeviceMappings[0].ebs.encrypted is not set, ${UNSET_ENCRYPTION}; expected "true" (CIS AWS 2.2.1).`,
            ],
        ],
    },
    {
        title: 'a launch template with an EBS mapping whose encrypted is "" (unset, to the provider)',
        type: LAUNCH_TEMPLATE,
        props: compliantLaunchTemplate,
        change: (p) => (obj(list(p, "blockDeviceMappings")[0], "ebs").encrypted = ""),
        violations: [
            [
                VOLUMES,
                `blockDeviceMappings[0].ebs.encrypted is not set, ${UNSET_ENCRYPTION}; expected "true" (CIS AWS 2.2.1).`,
            ],
        ],
    },
    // aws-ebs-require-encryption
    {
        title: "an unencrypted EBS volume",
        type: VOLUME,
        props: compliantVolume,
        change: (p) => (p.encrypted = false),
        violations: [[EBS, "encrypted is false; expected true (CIS AWS 2.2.1)."]],
    },
    {
        title: "an EBS volume that does not say encrypted",
        type: VOLUME,
        props: compliantVolume,
        change: (p) => delete p.encrypted,
        violations: [[EBS, `encrypted is not set, ${UNSET_ENCRYPTION}; expected true (CIS AWS 2.2.1).`]],
    },
    // aws-instance-disallow-public-ip
    {
        title: "an instance with a public IP address",
        type: INSTANCE,
        props: compliantInstance,
        change: (p) => (p.associatePublicIpAddress = true),
        violations: [
            [
                PUBLIC_IP,
                "associatePublicIpAddress is true; expected false or unset, with the host reached through a private address (CIS AWS 5.2).",
            ],
        ],
    },
    {
        title: "a launch template whose network interface asks for a public IP address",
        type: LAUNCH_TEMPLATE,
        props: compliantLaunchTemplate,
        change: (p) => (list(p, "networkInterfaces")[0].associatePublicIpAddress = "true"),
        violations: [
            [
                PUBLIC_IP,
                'networkInterfaces[0].associatePublicIpAddress is "true"; expected "false" or unset, with the host reached through a private address (CIS AWS 5.2).',
            ],
        ],
    },
    {
        title: 'a launch template whose network interface asks for a public IP address with "1"',
        type: LAUNCH_TEMPLATE,
        props: compliantLaunchTemplate,
        change: (p) => (list(p, "networkInterfaces")[0].associatePublicIpAddress = "1"),
        violations: [
            [
                PUBLIC_IP,
                'networkInterfaces[0].associatePublicIpAddress is "1"; expected "false" or unset, with the host reached through a private address (CIS AWS 5.2).',
            ],
        ],
    },
    // aws-security-group-disallow-public-admin-ports
    {
        title: "a security group opening SSH to 0.0.0.0/0",
        type: SECURITY_GROUP,
        props: compliantSecurityGroup,
        change: (p) => (list(p, "ingress")[0].cidrBlocks = ["10.0.0.0/16", "0.0.0.0/0"]),
        violations: [
            [
                ADMIN_PORTS,
                `ingress[0].cidrBlocks[1] is 0.0.0.0/0, which opens port 22 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
            ],
        ],
    },
    {
        title: "a security group opening SSH to ::/0",
        type: SECURITY_GROUP,
        props: compliantSecurityGroup,
        change: (p) => (list(p, "ingress")[0].ipv6CidrBlocks = ["::/0"]),
        violations: [
            [
                ADMIN_PORTS,
                `ingress[0].ipv6CidrBlocks[0] is ::/0, which opens port 22 to every IPv6 address; ${NARROWER} (CIS AWS 5.3).`,
            ],
        ],
    },
    {
        title: "a security group opening a TCP range that covers every admin port",
        type: SECURITY_GROUP,
        props: compliantSecurityGroup,
        change: (p) =>
            (list(p, "ingress")[1] = { protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }),
        violations: [
            [
                ADMIN_PORTS,
                `ingress[1].cidrBlocks[0] is 0.0.0.0/0, which opens ports 22, 2375, 2376 and 2377 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
            ],
        ],
    },
    {
        title: "a security group opening the Docker API by protocol number",
        type: SECURITY_GROUP,
        props: compliantSecurityGroup,
        change: (p) =>
            (list(p, "ingress")[1] = { protocol: "6", fromPort: 2375, toPort: 2376, cidrBlocks: ["0.0.0.0/0"] }),
        violations: [
            [
                ADMIN_PORTS,
                `ingress[1].cidrBlocks[0] is 0.0.0.0/0, which opens ports 2375 and 2376 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
            ],
        ],
    },
    {
        title: "a security group opening every protocol to every address, in another spelling",
        type: SECURITY_GROUP,
        props: compliantSecurityGroup,
        change: (p) =>
            (list(p, "ingress")[1] = {
                protocol: "-1",
                fromPort: 0,
                toPort: 0,
                ipv6CidrBlocks: ["0:0:0:0:0:0:0:0/0"],
            }),
        violations: [
            [
                ADMIN_PORTS,
                `ingress[1].ipv6CidrBlocks[0] is 0:0:0:0:0:0:0:0/0, which opens every port (protocol "-1"), ports 22, 2375, 2376 and 2377 included, to every IPv6 address; ${NARROWER} (CIS AWS 5.3).`,
            ],
        ],
    },
    {
        title: "a security group rule opening SSH to 0.0.0.0/0",
        type: SECURITY_GROUP_RULE,
        props: compliantSecurityGroupRule,
        change: (p) => (p.cidrBlocks = ["0.0.0.0/0"]),
        violations: [
            [
                ADMIN_PORTS,
                `cidrBlocks[0] is 0.0.0.0/0, which opens port 22 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
            ],
        ],
    },
    {
        title: "a security group rule opening SSH to ::/0",
        type: SECURITY_GROUP_RULE,
        props: compliantSecurityGroupRule,
        change: (p) => (p.ipv6CidrBlocks = ["::/0"]),
        violations: [
            [
                ADMIN_PORTS,
                `ipv6CidrBlocks[0] is ::/0, which opens port 22 to every IPv6 address; ${NARROWER} (CIS AWS 5.3).`,
            ],
        ],
    },
    {
        title: "an ingress rule opening the swarm port to 0.0.0.0/0",
        type: INGRESS_RULE,
        props: compliantIngressRule,
        change: (p) => Object.assign(p, { fromPort: 2377, toPort: 2377 }),
        violations: [
            [
                ADMIN_PORTS,
                `cidrIpv4 is 0.0.0.0/0, which opens port 2377 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
            ],
        ],
    },
    {
        title: "an ingress rule opening the TLS Docker API to ::/0",
        type: INGRESS_RULE,
        props: compliantIngressRule,
        change: (p) => Object.assign(p, { fromPort: 2376, toPort: 2376, cidrIpv4: undefined, cidrIpv6: "::/0" }),
        violations: [
            [ADMIN_PORTS, `cidrIpv6 is ::/0, which opens port 2376 to every IPv6 address; ${NARROWER} (CIS AWS 5.3).`],
        ],
    },
    {
        title: "an ingress rule for every protocol from 0.0.0.0/0",
        type: INGRESS_RULE,
        props: compliantIngressRule,
        change: (p) => Object.assign(p, { ipProtocol: "-1", fromPort: undefined, toPort: undefined }),
        violations: [
            [
                ADMIN_PORTS,
                `cidrIpv4 is 0.0.0.0/0, which opens every port (protocol "-1"), ports 22, 2375, 2376 and 2377 included, to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
            ],
        ],
    },
    // aws-security-group-disallow-public-admin-ports: CIDRs that cover every address only together
    {
        title: "a security group opening SSH to 0.0.0.0/1 and 128.0.0.0/1, every IPv4 address together",
        type: SECURITY_GROUP,
        props: compliantSecurityGroup,
        change: (p) => (list(p, "ingress")[0].cidrBlocks = ["0.0.0.0/1", "128.0.0.0/1"]),
        violations: [
            [
                ADMIN_PORTS,
                `ingress[0].cidrBlocks[0] is 0.0.0.0/1 and ingress[0].cidrBlocks[1] is 128.0.0.0/1, which together open port 22 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
            ],
        ],
    },
    {
        title: "a security group opening SSH to ::/1 and 8000::/1, every IPv6 address together",
        type: SECURITY_GROUP,
        props: compliantSecurityGroup,
        change: (p) => (list(p, "ingress")[0].ipv6CidrBlocks = ["8000::/1", "fd00::/8", "::/1"]),
        violations: [
            [
                ADMIN_PORTS,
                `ingress[0].ipv6CidrBlocks[0] is 8000::/1 and ingress[0].ipv6CidrBlocks[2] is ::/1, which together open port 22 to every IPv6 address; ${NARROWER} (CIS AWS 5.3).`,
            ],
        ],
    },
    {
        title: "a security group rule opening the Docker API to four /2s, and every port to two IPv6 halves",
        type: SECURITY_GROUP_RULE,
        props: compliantSecurityGroupRule,
        change: (p) =>
            Object.assign(p, {
                protocol: "-1",
                fromPort: 0,
                toPort: 0,
                cidrBlocks: ["192.0.0.0/2", "10.0.0.0/8", "0.0.0.0/2", "128.0.0.0/2", "64.0.0.0/2"],
                ipv6CidrBlocks: ["::/1", "8000::/1"],
            }),
        violations: [
            [
                ADMIN_PORTS,
                `cidrBlocks[0] is 192.0.0.0/2, cidrBlocks[2] is 0.0.0.0/2, cidrBlocks[3] is 128.0.0.0/2 and cidrBlocks[4] is 64.0.0.0/2, which together open every port (protocol "-1"), ports 22, 2375, 2376 and 2377 included, to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
            ],
            [
                ADMIN_PORTS,
                `ipv6CidrBlocks[0] is ::/1 and ipv6CidrBlocks[1] is 8000::/1, which together open every port (protocol "-1"), ports 22, 2375, 2376 and 2377 included, to every IPv6 address; ${NARROWER} (CIS AWS 5.3).`,
            ],
        ],
    },
    {
        title: "a security group rule with a /0 beside two /1s: the /0 alone is named",
        type: SECURITY_GROUP_RULE,
        props: compliantSecurityGroupRule,
        change: (p) => (p.cidrBlocks = ["0.0.0.0/1", "128.0.0.0/1", "0.0.0.0/0"]),
        violations: [
            [
                ADMIN_PORTS,
                `cidrBlocks[2] is 0.0.0.0/0, which opens port 22 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
            ],
        ],
    },
    // aws:ec2/defaultSecurityGroup:DefaultSecurityGroup
    {
        title: "a default security group opening SSH to 0.0.0.0/0 and ::/0",
        type: DEFAULT_SECURITY_GROUP,
        props: compliantDefaultSecurityGroup,
        change: (p) =>
            Object.assign(list(p, "ingress")[1], { cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["fd00::/8", "::/0"] }),
        violations: [
            [
                ADMIN_PORTS,
                `ingress[1].cidrBlocks[0] is 0.0.0.0/0, which opens port 22 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
            ],
            [
                ADMIN_PORTS,
                `ingress[1].ipv6CidrBlocks[1] is ::/0, which opens port 22 to every IPv6 address; ${NARROWER} (CIS AWS 5.3).`,
            ],
        ],
    },
    {
        title: "a default security group opening every protocol to two IPv4 halves",
        type: DEFAULT_SECURITY_GROUP,
        props: compliantDefaultSecurityGroup,
        change: (p) =>
            (list(p, "ingress")[0] = {
                protocol: "all",
                fromPort: 0,
                toPort: 0,
                cidrBlocks: ["128.0.0.0/1", "0.0.0.0/1"],
            }),
        violations: [
            [
                ADMIN_PORTS,
                `ingress[0].cidrBlocks[0] is 128.0.0.0/1 and ingress[0].cidrBlocks[1] is 0.0.0.0/1, which together open every port (protocol "all"), ports 22, 2375, 2376 and 2377 included, to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
            ],
        ],
    },
    // aws:ec2/spotInstanceRequest:SpotInstanceRequest
    {
        title: "a spot instance request with httpTokens optional and no hop limit",
        type: SPOT_INSTANCE,
        props: compliantSpotInstanceRequest,
        change: (p) => (p.metadataOptions = { httpEndpoint: "enabled", httpTokens: "optional" }),
        violations: [
            [IMDS, 'metadataOptions.httpTokens is "optional"; expected "required" (CIS AWS 5.6).'],
            [IMDS, UNSET_HOPS],
        ],
    },
    {
        title: "a spot instance request with an unencrypted root volume and an EBS device that does not say encrypted",
        type: SPOT_INSTANCE,
        props: compliantSpotInstanceRequest,
        change: (p) => {
            obj(p, "rootBlockDevice").encrypted = false;
            delete list(p, "ebsBlockDevices")[0].encrypted;
        },
        violations: [
            [VOLUMES, "rootBlockDevice.encrypted is false; expected true (CIS AWS 2.2.1)."],
            [VOLUMES, `ebsBlockDevices[0].encrypted is not set, ${UNSET_ENCRYPTION}; expected true (CIS AWS 2.2.1).`],
        ],
    },
    {
        title: "a spot instance request with a public IP address",
        type: SPOT_INSTANCE,
        props: compliantSpotInstanceRequest,
        change: (p) => (p.associatePublicIpAddress = true),
        violations: [
            [
                PUBLIC_IP,
                "associatePublicIpAddress is true; expected false or unset, with the host reached through a private address (CIS AWS 5.2).",
            ],
        ],
    },
];

/** Resources that look close to a violation but comply. */
const PASSING: { title: string; type: string; props: () => Props; change: (p: Props) => void }[] = [
    {
        title: "an instance with the metadata service off, whatever its other options",
        type: INSTANCE,
        props: compliantInstance,
        change: (p) => (p.metadataOptions = { httpEndpoint: "disabled", httpTokens: "optional" }),
    },
    {
        title: "a launch template with the metadata service off",
        type: LAUNCH_TEMPLATE,
        props: compliantLaunchTemplate,
        change: (p) => (p.metadataOptions = { httpEndpoint: "disabled", httpPutResponseHopLimit: 3 }),
    },
    {
        title: "an instance that leaves associatePublicIpAddress to the subnet",
        type: INSTANCE,
        props: compliantInstance,
        change: (p) => delete p.associatePublicIpAddress,
    },
    {
        title: "an instance without extra EBS devices",
        type: INSTANCE,
        props: compliantInstance,
        change: (p) => delete p.ebsBlockDevices,
    },
    {
        title: "a launch template with only instance store mappings and no network interfaces",
        type: LAUNCH_TEMPLATE,
        props: compliantLaunchTemplate,
        change: (p) => {
            p.blockDeviceMappings = [{ deviceName: "/dev/sdb", virtualName: "ephemeral0" }];
            delete p.networkInterfaces;
        },
    },
    {
        title: 'a launch template whose EBS mapping says encrypted as "1", which the provider reads as true',
        type: LAUNCH_TEMPLATE,
        props: compliantLaunchTemplate,
        change: (p) => (obj(list(p, "blockDeviceMappings")[0], "ebs").encrypted = "1"),
    },
    {
        title: "a security group opening SSH to one /1, which is not every address",
        type: SECURITY_GROUP,
        props: compliantSecurityGroup,
        change: (p) => (list(p, "ingress")[0].cidrBlocks = ["0.0.0.0/1", "10.0.0.0/8"]),
    },
    {
        title: "a security group whose CIDRs cover every address only across two rules (rules are judged one by one)",
        type: SECURITY_GROUP,
        props: compliantSecurityGroup,
        change: (p) =>
            list(p, "ingress").splice(
                0,
                1,
                { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/1"] },
                { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["128.0.0.0/1"] },
            ),
    },
    {
        title: "a security group rule whose CIDRs cover every address except one",
        type: SECURITY_GROUP_RULE,
        props: compliantSecurityGroupRule,
        change: (p) => (p.cidrBlocks = ALL_BUT_ONE),
    },
    {
        title: "a default security group opening HTTPS to every address",
        type: DEFAULT_SECURITY_GROUP,
        props: compliantDefaultSecurityGroup,
        change: (p) =>
            list(p, "ingress").push({
                protocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrBlocks: ["0.0.0.0/0"],
                ipv6CidrBlocks: ["::/0"],
            }),
    },
    {
        title: "a spot instance request that leaves associatePublicIpAddress to the subnet",
        type: SPOT_INSTANCE,
        props: compliantSpotInstanceRequest,
        change: (p) => delete p.associatePublicIpAddress,
    },
    {
        title: "a security group opening a port range below the admin ports to every address",
        type: SECURITY_GROUP,
        props: compliantSecurityGroup,
        change: (p) =>
            (list(p, "ingress")[1] = { protocol: "tcp", fromPort: 80, toPort: 21, cidrBlocks: ["0.0.0.0/0"] }),
    },
    {
        title: "an egress security group rule to every address",
        type: SECURITY_GROUP_RULE,
        props: compliantSecurityGroupRule,
        change: (p) => Object.assign(p, { type: "egress", cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }),
    },
    {
        title: "an ingress rule for UDP port 22 from every address",
        type: INGRESS_RULE,
        props: compliantIngressRule,
        change: (p) => Object.assign(p, { ipProtocol: "udp", fromPort: 22, toPort: 22 }),
    },
];

function build(props: () => Props, change: (p: Props) => void): Props {
    const p = props();
    change(p);
    // The wire has no undefined: a field set to undefined is a field left out.
    return JSON.parse(JSON.stringify(p)) as Props;
}

describe("AWS policies, through the analyzer server", () => {
    let pack: PolicyPackClient;
    before(async function () {
        this.timeout(60000);
        pack = await policyPack();
    });
    beforeEach(() => pack.configure(BASE_CONFIG));

    it("declare the CIS AWS Foundations Benchmark v3.0.0 control, severity and settings the catalogue expects", () => {
        assert.deepEqual(AWS_POLICIES.map((p) => p.meta.name).sort(), Object.keys(DECLARED).sort());
        for (const { meta: m } of AWS_POLICIES) {
            const want = DECLARED[m.name];
            assert.equal(m.benchmark, "aws", m.name);
            assert.equal(m.cis, want.cis, m.name);
            assert.equal(m.severity, want.severity, m.name);
            assert.equal(m.enforcementLevel, "mandatory", m.name);
            assert.match(m.name, /^aws-[a-z0-9]+(-[a-z0-9]+)*-(require|disallow|restrict)-[a-z0-9-]+$/);
            assert.deepEqual(
                Object.fromEntries(Object.entries(m.config ?? {}).map(([k, s]) => [k, s.default])),
                want.config,
                m.name,
            );
        }
    });

    it("serves each AWS policy with the CIS AWS framework, its tags, level and config schema", async () => {
        const served = new Map((await pack.info()).getPoliciesList().map((p) => [p.getName(), p]));
        for (const { meta: m } of AWS_POLICIES) {
            const p = served.get(m.name);
            assert.ok(p, `${m.name} is not served`);
            assert.equal(p.getFramework()?.getName(), "CIS Amazon Web Services Foundations Benchmark");
            assert.equal(p.getFramework()?.getVersion(), "3.0.0");
            assert.equal(p.getFramework()?.getReference(), m.cis);
            assert.deepEqual(p.getTagsList(), [
                "cis-aws-3.0.0",
                `cis-aws-${m.cis}`,
                `section-aws-${m.cis.split(".")[0]}`,
            ]);
            assert.equal(p.getEnforcementlevel(), analyzerproto.EnforcementLevel.MANDATORY);
            assert.equal(p.getSeverity(), analyzerproto.PolicySeverity.POLICY_SEVERITY_HIGH);
            assert.equal(p.getRemediationSteps(), m.remediation);
            const schema = p.getConfigschema()?.getProperties()?.toJavaScript() as Record<
                string,
                { default?: unknown }
            >;
            assert.deepEqual(Object.keys(schema).sort(), ["waivers", ...Object.keys(DECLARED[m.name].config)].sort());
            for (const [key, value] of Object.entries(DECLARED[m.name].config)) {
                assert.deepEqual(schema[key].default, value, `${m.name}.${key}`);
            }
        }
    });

    it("passes every compliant resource", async () => {
        for (const [type, props] of Object.entries(FIXTURES)) {
            assert.deepEqual(await pack.analyze({ type, name: "host", props: props() }), [], type);
        }
    });

    for (const c of CASES) {
        it(`rejects ${c.title}`, async () => {
            const got = await pack.analyze({ type: c.type, name: "host", props: build(c.props, c.change) });
            assert.deepEqual(
                got,
                c.violations.map(([rule, sentence]) => expected(policyFor(rule, c.type), sentence)),
            );
        });
    }

    for (const c of PASSING) {
        it(`passes ${c.title}`, async () => {
            assert.deepEqual(await pack.analyze({ type: c.type, name: "host", props: build(c.props, c.change) }), []);
        });
    }

    it("covers every AWS policy, and each resource type it reads, with a failing case", () => {
        const tripped = new Set(CASES.flatMap((c) => c.violations.map(([r]) => `${policyFor(r, c.type)} ${c.type}`)));
        assert.deepEqual(
            [...tripped].sort(),
            [
                `${ADMIN_PORTS_INGRESS} ${INGRESS_RULE}`,
                `${ADMIN_PORTS_RULE} ${SECURITY_GROUP_RULE}`,
                `${ADMIN_PORTS} ${SECURITY_GROUP}`,
                `${ADMIN_PORTS_DEFAULT} ${DEFAULT_SECURITY_GROUP}`,
                `${EBS} ${VOLUME}`,
                `${IMDS} ${INSTANCE}`,
                `${IMDS_SPOT} ${SPOT_INSTANCE}`,
                `${IMDS_TEMPLATE} ${LAUNCH_TEMPLATE}`,
                `${PUBLIC_IP} ${INSTANCE}`,
                `${PUBLIC_IP_SPOT} ${SPOT_INSTANCE}`,
                `${PUBLIC_IP_TEMPLATE} ${LAUNCH_TEMPLATE}`,
                `${VOLUMES} ${INSTANCE}`,
                `${VOLUMES_SPOT} ${SPOT_INSTANCE}`,
                `${VOLUMES_TEMPLATE} ${LAUNCH_TEMPLATE}`,
            ].sort(),
        );
        // Each policy of the pack is one of these, over the one type it is served for.
        assert.deepEqual(AWS_POLICIES.map((p) => `${p.meta.name} ${p.resourceType}`).sort(), [...tripped].sort());
    });

    it("reports every violation of one resource, in the pack's CIS order", async () => {
        const props = build(compliantInstance, (p) => {
            p.metadataOptions = { httpTokens: "optional", httpPutResponseHopLimit: 1 };
            p.associatePublicIpAddress = true;
            obj(p, "rootBlockDevice").encrypted = false;
        });
        assert.deepEqual(await pack.analyze({ type: INSTANCE, name: "host", props }), [
            expected(VOLUMES, "rootBlockDevice.encrypted is false; expected true (CIS AWS 2.2.1)."),
            expected(
                PUBLIC_IP,
                "associatePublicIpAddress is true; expected false or unset, with the host reached through a private address (CIS AWS 5.2).",
            ),
            expected(IMDS, 'metadataOptions.httpTokens is "optional"; expected "required" (CIS AWS 5.6).'),
        ]);
    });

    describe("settings", () => {
        const KMS_CONFIG: PackConfig = {
            [VOLUMES]: { requiredKmsKeyId: KMS_KEY },
            [VOLUMES_SPOT]: { requiredKmsKeyId: KMS_KEY },
            [VOLUMES_TEMPLATE]: { requiredKmsKeyId: KMS_KEY },
            [EBS]: { requiredKmsKeyId: KMS_KEY },
        };
        const keyNamed = `expected ${KMS_KEY}, the key requiredKmsKeyId names (CIS AWS 2.2.1).`;

        it("are validated in an org config file: good values pass, wrong ones are named", () => {
            assert.deepEqual(
                checkPolicyConfig({
                    [VOLUMES]: { requiredKmsKeyId: KMS_KEY },
                    [EBS]: { requiredKmsKeyId: KMS_KEY, enforcementLevel: "mandatory" },
                    [PUBLIC_IP]: { allowPublicIp: true },
                    [ADMIN_PORTS]: { ports: [22, 3389] },
                }),
                [],
            );
            assert.deepEqual(
                checkPolicyConfig({
                    [EBS]: { requiredKmsKeyId: 5 },
                    [PUBLIC_IP]: { allowPublicIp: "yes" },
                    [ADMIN_PORTS]: { ports: [22, "2375", 70000] },
                }),
                [
                    `${EBS}.requiredKmsKeyId: must be string`,
                    `${PUBLIC_IP}.allowPublicIp: must be boolean`,
                    `${ADMIN_PORTS}.ports.1: must be integer`,
                    `${ADMIN_PORTS}.ports.2: must be <= 65535`,
                ],
            );
        });

        it("requiredKmsKeyId: volumes encrypted with it pass", async () => {
            await pack.configure(KMS_CONFIG);
            for (const [type, props] of Object.entries(FIXTURES)) {
                assert.deepEqual(await pack.analyze({ type, name: "host", props: props() }), [], type);
            }
        });

        it("requiredKmsKeyId: an instance's volume with another key or none is rejected", async () => {
            await pack.configure(KMS_CONFIG);
            const props = build(compliantInstance, (p) => {
                obj(p, "rootBlockDevice").kmsKeyId = OTHER_KMS_KEY;
                delete list(p, "ebsBlockDevices")[0].kmsKeyId;
            });
            assert.deepEqual(await pack.analyze({ type: INSTANCE, name: "host", props }), [
                expected(VOLUMES, `rootBlockDevice.kmsKeyId is another key; ${keyNamed}`),
                expected(
                    VOLUMES,
                    `ebsBlockDevices[0].kmsKeyId is not set, so the volume uses the account's default EBS key; ${keyNamed}`,
                ),
            ]);
        });

        it("requiredKmsKeyId: a launch template's mapping and a volume with another key are rejected", async () => {
            await pack.configure(KMS_CONFIG);
            const template = build(
                compliantLaunchTemplate,
                (p) => (obj(list(p, "blockDeviceMappings")[0], "ebs").kmsKeyId = OTHER_KMS_KEY),
            );
            assert.deepEqual(await pack.analyze({ type: LAUNCH_TEMPLATE, name: "host", props: template }), [
                expected(VOLUMES_TEMPLATE, `blockDeviceMappings[0].ebs.kmsKeyId is another key; ${keyNamed}`),
            ]);
            const volume = build(compliantVolume, (p) => delete p.kmsKeyId);
            assert.deepEqual(await pack.analyze({ type: VOLUME, name: "data", props: volume }), [
                expected(EBS, `kmsKeyId is not set, so the volume uses the account's default EBS key; ${keyNamed}`),
            ]);
        });

        it("requiredKmsKeyId: by default any key passes", async () => {
            const volume = build(compliantVolume, (p) => (p.kmsKeyId = OTHER_KMS_KEY));
            assert.deepEqual(await pack.analyze({ type: VOLUME, name: "data", props: volume }), []);
        });

        it("allowPublicIp: turns the public IP policy off, and nothing else", async () => {
            await pack.configure({
                [PUBLIC_IP]: { allowPublicIp: true },
                [PUBLIC_IP_TEMPLATE]: { allowPublicIp: true },
            });
            const instance = build(compliantInstance, (p) => (p.associatePublicIpAddress = true));
            assert.deepEqual(await pack.analyze({ type: INSTANCE, name: "host", props: instance }), []);
            const template = build(
                compliantLaunchTemplate,
                (p) => (list(p, "networkInterfaces")[0].associatePublicIpAddress = "true"),
            );
            assert.deepEqual(await pack.analyze({ type: LAUNCH_TEMPLATE, name: "host", props: template }), []);
            // The spot request's policy keeps its default.
            const spot = build(compliantSpotInstanceRequest, (p) => (p.associatePublicIpAddress = true));
            assert.deepEqual(await pack.analyze({ type: SPOT_INSTANCE, name: "host", props: spot }), [
                expected(
                    PUBLIC_IP_SPOT,
                    "associatePublicIpAddress is true; expected false or unset, with the host reached through a private address (CIS AWS 5.2).",
                ),
            ]);
            const open = build(compliantSecurityGroupRule, (p) => (p.cidrBlocks = ["0.0.0.0/0"]));
            assert.equal((await pack.analyze({ type: SECURITY_GROUP_RULE, name: "ssh", props: open })).length, 1);
        });

        it("ports: its description tells a host with sshd on another port to add that port", async () => {
            const served = (await pack.info()).getPoliciesList().find((p) => p.getName() === ADMIN_PORTS);
            const schema = served?.getConfigschema()?.getProperties()?.toJavaScript() as Record<
                string,
                { description?: string }
            >;
            assert.equal(
                schema.ports.description,
                "TCP ports that must not be open to every address: SSH, the Docker API (plain and TLS) and the swarm manager by default. The pack cannot see which port sshd listens on: when a host's sshd listens on another port than 22 (HardenedHost's sshPort), add that port here, or a rule opening it to every address passes.",
            );
        });

        it("ports: a host whose sshd listens on 2222 is covered once 2222 is listed", async () => {
            const open = build(compliantSecurityGroupRule, (p) =>
                Object.assign(p, { fromPort: 2222, toPort: 2222, cidrBlocks: ["0.0.0.0/0"] }),
            );
            assert.deepEqual(await pack.analyze({ type: SECURITY_GROUP_RULE, name: "ssh", props: open }), []);
            await pack.configure({ [ADMIN_PORTS_RULE]: { ports: [22, 2222, 2375, 2376, 2377] } });
            assert.deepEqual(await pack.analyze({ type: SECURITY_GROUP_RULE, name: "ssh", props: open }), [
                expected(
                    ADMIN_PORTS_RULE,
                    `cidrBlocks[0] is 0.0.0.0/0, which opens port 2222 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
                ),
            ]);
        });

        it("ports: replaces the default list", async () => {
            await pack.configure({ [ADMIN_PORTS_RULE]: { ports: [8080, 3389] } });
            const sshOpen = build(compliantSecurityGroupRule, (p) => (p.cidrBlocks = ["0.0.0.0/0"]));
            assert.deepEqual(await pack.analyze({ type: SECURITY_GROUP_RULE, name: "ssh", props: sshOpen }), []);
            const wide = build(compliantSecurityGroupRule, (p) =>
                Object.assign(p, { fromPort: 3000, toPort: 9000, cidrBlocks: ["0.0.0.0/0"] }),
            );
            assert.deepEqual(await pack.analyze({ type: SECURITY_GROUP_RULE, name: "wide", props: wide }), [
                expected(
                    ADMIN_PORTS_RULE,
                    `cidrBlocks[0] is 0.0.0.0/0, which opens ports 3389 and 8080 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
                ),
            ]);
        });
    });

    describe("waivers", () => {
        const publicInstance = () => build(compliantInstance, (p) => (p.associatePublicIpAddress = true));
        const waive = (w: Record<string, unknown>) => pack.configure({ [PUBLIC_IP]: { waivers: [w] } });

        it("a waiver for one resource lets it have a public IP, and only it", async () => {
            await waive({ resource: "bastion-*", justification: "the SSH bastion is the one public host; SEC-7" });
            assert.deepEqual(await pack.analyze({ type: INSTANCE, name: "bastion-a", props: publicInstance() }), []);
            assert.deepEqual(await pack.analyze({ type: INSTANCE, name: "docker-host", props: publicInstance() }), [
                expected(
                    PUBLIC_IP,
                    "associatePublicIpAddress is true; expected false or unset, with the host reached through a private address (CIS AWS 5.2).",
                ),
            ]);
        });

        it("a waiver by URN applies to a security group rule", async () => {
            const urn = urnOf(SECURITY_GROUP_RULE, "bastion-ssh");
            await pack.configure({
                [ADMIN_PORTS_RULE]: { waivers: [{ resource: urn, justification: "bastion SSH, rate-limited; SEC-7" }] },
            });
            const open = build(compliantSecurityGroupRule, (p) => (p.cidrBlocks = ["0.0.0.0/0"]));
            assert.deepEqual(await pack.analyze({ type: SECURITY_GROUP_RULE, name: "bastion-ssh", props: open }), []);
        });

        it("an expired waiver does not apply, and the violation says so", async () => {
            await waive({ resource: "bastion-a", justification: "temporary exception SEC-42", expires: "2020-01-31" });
            assert.deepEqual(await pack.analyze({ type: INSTANCE, name: "bastion-a", props: publicInstance() }), [
                expected(
                    PUBLIC_IP,
                    'associatePublicIpAddress is true; expected false or unset, with the host reached through a private address (CIS AWS 5.2). (waiver "bastion-a" expired on 2020-01-31, so it does not apply)',
                ),
            ]);
        });
    });

    describe("sources that cover every address only together", () => {
        it("the last address closes the cover: 32 CIDRs plus 255.255.255.255/32, named in order", async () => {
            const cidrs = [...ALL_BUT_ONE, "255.255.255.255/32"];
            const props = build(compliantSecurityGroupRule, (p) => (p.cidrBlocks = cidrs));
            const named = cidrs.map((c, j) => `cidrBlocks[${j}] is ${c}`);
            assert.deepEqual(await pack.analyze({ type: SECURITY_GROUP_RULE, name: "ssh", props }), [
                expected(
                    ADMIN_PORTS_RULE,
                    `${named.slice(0, -1).join(", ")} and ${named[named.length - 1]}, which together open port 22 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
                ),
            ]);
        });

        it("an unknown CIDR adds nothing: the known ones must cover every address themselves", async () => {
            const group = build(compliantSecurityGroup, (p) => {
                list(p, "ingress")[0].cidrBlocks = [UNKNOWN, "128.0.0.0/1"];
                list(p, "ingress").push({
                    protocol: "tcp",
                    fromPort: 2377,
                    toPort: 2377,
                    cidrBlocks: ["0.0.0.0/1", UNKNOWN, "128.0.0.0/1"],
                });
            });
            assert.deepEqual(await pack.analyze({ type: SECURITY_GROUP, name: "host", props: group }), [
                expected(
                    ADMIN_PORTS,
                    `ingress[3].cidrBlocks[0] is 0.0.0.0/1 and ingress[3].cidrBlocks[2] is 128.0.0.0/1, which together open port 2377 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
                ),
            ]);
        });

        it("a rule whose ports miss the listed ones passes, whatever its CIDRs", async () => {
            const props = build(compliantSecurityGroupRule, (p) =>
                Object.assign(p, { fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }),
            );
            assert.deepEqual(await pack.analyze({ type: SECURITY_GROUP_RULE, name: "https", props }), []);
        });
    });

    describe("list elements that are not objects (the provider would reject them)", () => {
        // Each list a policy reads, with a null (or other non-object) element beside a violating one:
        // the bad element is skipped, the good one still checked, and the preview does not fail.
        const LISTS: {
            title: string;
            type: string;
            props: () => Props;
            change: (p: Props) => void;
            violations: [rule: string, sentence: string][];
        }[] = [
            {
                title: "a security group's ingress",
                type: SECURITY_GROUP,
                props: compliantSecurityGroup,
                change: (p) =>
                    (p.ingress = [
                        null,
                        "tcp/22",
                        7,
                        [],
                        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
                    ]),
                violations: [
                    [
                        ADMIN_PORTS,
                        `ingress[4].cidrBlocks[0] is 0.0.0.0/0, which opens port 22 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
                    ],
                ],
            },
            {
                title: "a default security group's ingress",
                type: DEFAULT_SECURITY_GROUP,
                props: compliantDefaultSecurityGroup,
                change: (p) =>
                    (p.ingress = [null, { protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/0"] }]),
                violations: [
                    [
                        ADMIN_PORTS,
                        `ingress[1].ipv6CidrBlocks[0] is ::/0, which opens port 22 to every IPv6 address; ${NARROWER} (CIS AWS 5.3).`,
                    ],
                ],
            },
            {
                title: "a security group's inline cidrBlocks and ipv6CidrBlocks",
                type: SECURITY_GROUP,
                props: compliantSecurityGroup,
                change: (p) =>
                    Object.assign(list(p, "ingress")[0], {
                        cidrBlocks: [null, 0, "0.0.0.0/0"],
                        ipv6CidrBlocks: [null, { cidr: "::/0" }, "::/1", "8000::/1"],
                    }),
                violations: [
                    [
                        ADMIN_PORTS,
                        `ingress[0].cidrBlocks[2] is 0.0.0.0/0, which opens port 22 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
                    ],
                    [
                        ADMIN_PORTS,
                        `ingress[0].ipv6CidrBlocks[2] is ::/1 and ingress[0].ipv6CidrBlocks[3] is 8000::/1, which together open port 22 to every IPv6 address; ${NARROWER} (CIS AWS 5.3).`,
                    ],
                ],
            },
            {
                title: "a security group rule's cidrBlocks and ipv6CidrBlocks",
                type: SECURITY_GROUP_RULE,
                props: compliantSecurityGroupRule,
                change: (p) => Object.assign(p, { cidrBlocks: [null], ipv6CidrBlocks: [null, "::/0"] }),
                violations: [
                    [
                        ADMIN_PORTS,
                        `ipv6CidrBlocks[1] is ::/0, which opens port 22 to every IPv6 address; ${NARROWER} (CIS AWS 5.3).`,
                    ],
                ],
            },
            {
                title: "an instance's ebsBlockDevices",
                type: INSTANCE,
                props: compliantInstance,
                change: (p) => (p.ebsBlockDevices = [null, "/dev/sdf", { deviceName: "/dev/sdg", encrypted: false }]),
                violations: [[VOLUMES, "ebsBlockDevices[2].encrypted is false; expected true (CIS AWS 2.2.1)."]],
            },
            {
                title: "a spot instance request's ebsBlockDevices",
                type: SPOT_INSTANCE,
                props: compliantSpotInstanceRequest,
                change: (p) => (p.ebsBlockDevices = [null, { deviceName: "/dev/sdg", encrypted: false }]),
                violations: [[VOLUMES, "ebsBlockDevices[1].encrypted is false; expected true (CIS AWS 2.2.1)."]],
            },
            {
                title: "a launch template's blockDeviceMappings, and an ebs that is not an object",
                type: LAUNCH_TEMPLATE,
                props: compliantLaunchTemplate,
                change: (p) =>
                    (p.blockDeviceMappings = [
                        null,
                        { deviceName: "/dev/sdf", ebs: "gp3" },
                        { deviceName: "/dev/sdg", ebs: { encrypted: "false" } },
                    ]),
                violations: [
                    [VOLUMES, 'blockDeviceMappings[2].ebs.encrypted is "false"; expected "true" (CIS AWS 2.2.1).'],
                ],
            },
            {
                title: "a launch template's networkInterfaces",
                type: LAUNCH_TEMPLATE,
                props: compliantLaunchTemplate,
                change: (p) => (p.networkInterfaces = [null, true, { associatePublicIpAddress: "true" }]),
                violations: [
                    [
                        PUBLIC_IP,
                        'networkInterfaces[2].associatePublicIpAddress is "true"; expected "false" or unset, with the host reached through a private address (CIS AWS 5.2).',
                    ],
                ],
            },
        ];
        for (const c of LISTS) {
            it(`are skipped in ${c.title}`, async () => {
                const got = await pack.analyze({ type: c.type, name: "host", props: build(c.props, c.change) });
                assert.deepEqual(
                    got,
                    c.violations.map(([rule, sentence]) => expected(policyFor(rule, c.type), sentence)),
                );
            });
        }

        it("a list of nulls alone raises nothing, with the requiredKmsKeyId branches on too", async () => {
            await pack.configure({
                [VOLUMES]: { requiredKmsKeyId: KMS_KEY },
                [VOLUMES_SPOT]: { requiredKmsKeyId: KMS_KEY },
                [VOLUMES_TEMPLATE]: { requiredKmsKeyId: KMS_KEY },
            });
            const cases: [string, Props][] = [
                [SECURITY_GROUP, build(compliantSecurityGroup, (p) => (p.ingress = [null]))],
                [DEFAULT_SECURITY_GROUP, build(compliantDefaultSecurityGroup, (p) => (p.ingress = [null]))],
                [SECURITY_GROUP, build(compliantSecurityGroup, (p) => (list(p, "ingress")[0].cidrBlocks = [null]))],
                [
                    SECURITY_GROUP_RULE,
                    build(compliantSecurityGroupRule, (p) =>
                        Object.assign(p, { cidrBlocks: [null], ipv6CidrBlocks: [null] }),
                    ),
                ],
                [INSTANCE, build(compliantInstance, (p) => (p.ebsBlockDevices = [null]))],
                [SPOT_INSTANCE, build(compliantSpotInstanceRequest, (p) => (p.ebsBlockDevices = [null]))],
                [LAUNCH_TEMPLATE, build(compliantLaunchTemplate, (p) => (p.blockDeviceMappings = [null]))],
                [LAUNCH_TEMPLATE, build(compliantLaunchTemplate, (p) => (p.networkInterfaces = [null]))],
            ];
            for (const [type, props] of cases) {
                assert.deepEqual(
                    await pack.analyze({ type, name: "host", props }),
                    [],
                    `${type} ${JSON.stringify(props)}`,
                );
            }
        });
    });

    describe("values unknown during preview", () => {
        it("an unknown cidrBlocks skips only itself: a known ipv6CidrBlocks beside it is checked, and the reverse", async () => {
            const group = build(compliantSecurityGroup, (p) => {
                Object.assign(list(p, "ingress")[0], { cidrBlocks: UNKNOWN, ipv6CidrBlocks: ["::/0"] });
                list(p, "ingress").push({
                    protocol: "tcp",
                    fromPort: 2375,
                    toPort: 2375,
                    cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"],
                    ipv6CidrBlocks: UNKNOWN,
                });
            });
            assert.deepEqual(await pack.analyze({ type: SECURITY_GROUP, name: "host", props: group }), [
                expected(
                    ADMIN_PORTS,
                    `ingress[0].ipv6CidrBlocks[0] is ::/0, which opens port 22 to every IPv6 address; ${NARROWER} (CIS AWS 5.3).`,
                ),
                expected(
                    ADMIN_PORTS,
                    `ingress[3].cidrBlocks[0] is 0.0.0.0/1 and ingress[3].cidrBlocks[1] is 128.0.0.0/1, which together open port 2375 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
                ),
            ]);

            const v6 = build(compliantSecurityGroupRule, (p) =>
                Object.assign(p, { cidrBlocks: UNKNOWN, ipv6CidrBlocks: ["::/0"] }),
            );
            assert.deepEqual(await pack.analyze({ type: SECURITY_GROUP_RULE, name: "ssh", props: v6 }), [
                expected(
                    ADMIN_PORTS_RULE,
                    `ipv6CidrBlocks[0] is ::/0, which opens port 22 to every IPv6 address; ${NARROWER} (CIS AWS 5.3).`,
                ),
            ]);
            const v4 = build(compliantSecurityGroupRule, (p) =>
                Object.assign(p, { cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: UNKNOWN }),
            );
            assert.deepEqual(await pack.analyze({ type: SECURITY_GROUP_RULE, name: "ssh", props: v4 }), [
                expected(
                    ADMIN_PORTS_RULE,
                    `cidrBlocks[0] is 0.0.0.0/0, which opens port 22 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
                ),
            ]);
        });

        it("raise no violation and no error, for any field of any compliant resource", async () => {
            for (const [type, fixture] of Object.entries(FIXTURES)) {
                for (const key of Object.keys(fixture())) {
                    const props = { ...fixture(), [key]: UNKNOWN };
                    assert.deepEqual(await pack.analyze({ type, name: "host", props }), [], `${type} ${key}`);
                }
            }
        });

        it("hide only the branch that reads them: an unknown metadataOptions or httpTokens", async () => {
            const props = build(compliantInstance, (p) => {
                p.metadataOptions = UNKNOWN;
                obj(p, "rootBlockDevice").encrypted = false;
            });
            assert.deepEqual(await pack.analyze({ type: INSTANCE, name: "host", props }), [
                expected(VOLUMES, "rootBlockDevice.encrypted is false; expected true (CIS AWS 2.2.1)."),
            ]);
            const tokens = build(compliantInstance, (p) => {
                p.metadataOptions = { httpTokens: UNKNOWN, httpPutResponseHopLimit: 2 };
            });
            assert.deepEqual(await pack.analyze({ type: INSTANCE, name: "host", props: tokens }), [
                expected(
                    IMDS,
                    "metadataOptions.httpPutResponseHopLimit is 2; expected 1, so that containers cannot reach the instance's credentials (CIS AWS 5.6).",
                ),
            ]);
        });

        it("an unknown httpEndpoint might be disabled: no IMDS violation", async () => {
            const props = build(compliantLaunchTemplate, (p) => {
                p.metadataOptions = { httpEndpoint: UNKNOWN, httpTokens: "optional", httpPutResponseHopLimit: 2 };
            });
            assert.deepEqual(await pack.analyze({ type: LAUNCH_TEMPLATE, name: "host", props }), []);
        });

        it("inside lists: an unknown element or field skips itself, the known ones are still checked", async () => {
            const instance = build(compliantInstance, (p) => {
                p.ebsBlockDevices = [UNKNOWN, { deviceName: "/dev/sdg", encrypted: false }];
            });
            assert.deepEqual(await pack.analyze({ type: INSTANCE, name: "host", props: instance }), [
                expected(VOLUMES, "ebsBlockDevices[1].encrypted is false; expected true (CIS AWS 2.2.1)."),
            ]);

            const template = build(compliantLaunchTemplate, (p) => {
                list(p, "networkInterfaces")[0].associatePublicIpAddress = UNKNOWN;
                obj(list(p, "blockDeviceMappings")[0], "ebs").encrypted = UNKNOWN;
            });
            assert.deepEqual(await pack.analyze({ type: LAUNCH_TEMPLATE, name: "host", props: template }), []);

            const group = build(compliantSecurityGroup, (p) => {
                p.ingress = [
                    { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
                    { protocol: "tcp", fromPort: UNKNOWN, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
                    { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [UNKNOWN, "0.0.0.0/0"] },
                    UNKNOWN,
                ];
            });
            assert.deepEqual(await pack.analyze({ type: SECURITY_GROUP, name: "host", props: group }), [
                expected(
                    ADMIN_PORTS,
                    `ingress[0].cidrBlocks[0] is 0.0.0.0/0, which opens port 22 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
                ),
                expected(
                    ADMIN_PORTS,
                    `ingress[2].cidrBlocks[1] is 0.0.0.0/0, which opens port 22 to every IPv4 address; ${NARROWER} (CIS AWS 5.2).`,
                ),
            ]);

            const rule = build(compliantIngressRule, (p) =>
                Object.assign(p, { fromPort: 22, toPort: 22, cidrIpv4: UNKNOWN, cidrIpv6: "::/0" }),
            );
            assert.deepEqual(await pack.analyze({ type: INGRESS_RULE, name: "ssh", props: rule }), [
                expected(
                    ADMIN_PORTS_INGRESS,
                    `cidrIpv6 is ::/0, which opens port 22 to every IPv6 address; ${NARROWER} (CIS AWS 5.3).`,
                ),
            ]);
        });

        it("an unknown rule type or port skips a security group rule", async () => {
            for (const change of [{ type: UNKNOWN }, { fromPort: UNKNOWN }, { protocol: UNKNOWN }]) {
                const props = build(compliantSecurityGroupRule, (p) =>
                    Object.assign(p, { cidrBlocks: ["0.0.0.0/0"] }, change),
                );
                assert.deepEqual(
                    await pack.analyze({ type: SECURITY_GROUP_RULE, name: "ssh", props }),
                    [],
                    JSON.stringify(change),
                );
            }
        });
    });
});
