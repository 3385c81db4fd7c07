import { isTrue, type InstanceProps, type LaunchTemplateProps, type SpotInstanceRequestProps } from "../../lib/aws";
import { eachKnown, forType, resourcePolicyByType } from "../../lib/branches";
import { TYPES, type Branch } from "../../lib/policy";

interface Config {
    allowPublicIp: boolean;
}

/** An instance's, or the instance a spot request launches. */
const INSTANCE: Branch<InstanceProps | SpotInstanceRequestProps, Config>[] = [
    (p, c) =>
        !c.allowPublicIp && p.associatePublicIpAddress === true
            ? "associatePublicIpAddress is true; expected false or unset, with the host reached through a private address (CIS AWS 5.2)."
            : undefined,
];

/**
 * CIS AWS 5.2 and 5.3 guard the security groups; a private address is the layer under them. An
 * unset associatePublicIpAddress is not a violation: the subnet's mapPublicIpOnLaunch decides, and
 * the subnet is another resource, often outside the stack.
 */
export const instanceDisallowPublicIp = resourcePolicyByType<Config>(
    {
        name: "aws-instance-disallow-public-ip",
        description:
            "EC2 instances, spot instance requests and launch templates must not ask for a public IP address, which would put the Docker host's SSH and Docker API ports one security-group rule away from the internet, the exposure that CIS AWS 5.2 and 5.3 guard against.",
        cis: "5.2",
        benchmark: "aws",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation:
            'set associatePublicIpAddress to false (on a launch template, networkInterfaces[].associatePublicIpAddress to "false") and reach the host through a bastion, a VPN or SSM Session Manager; for a host that must be public, add a waiver for it (allowPublicIp turns the policy off for every instance).',
        config: {
            allowPublicIp: {
                type: "boolean",
                default: false,
                description:
                    "Allow public IP addresses on every instance (per-resource exceptions belong in waivers instead).",
            },
        },
    },
    [
        forType<InstanceProps, Config>(TYPES.awsInstance, INSTANCE),
        forType<SpotInstanceRequestProps, Config>(
            TYPES.awsSpotInstanceRequest,
            INSTANCE,
            "aws-spot-instance-request-disallow-public-ip",
        ),
        forType<LaunchTemplateProps, Config>(
            TYPES.awsLaunchTemplate,
            [
                (p, c) =>
                    c.allowPublicIp
                        ? undefined
                        : eachKnown(p.networkInterfaces, (n, i) =>
                              isTrue(n.associatePublicIpAddress)
                                  ? `networkInterfaces[${i}].associatePublicIpAddress is ${JSON.stringify(n.associatePublicIpAddress)}; expected "false" or unset, with the host reached through a private address (CIS AWS 5.2).`
                                  : undefined,
                          ),
            ],
            "aws-launch-template-disallow-public-ip",
        ),
    ],
);
