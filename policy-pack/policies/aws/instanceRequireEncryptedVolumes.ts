import {
    isTrue,
    isUnsetString,
    REQUIRED_KMS_KEY_SCHEMA,
    volumeKey,
    type InstanceBlockDeviceProps,
    type InstanceProps,
    type KmsConfig,
    type LaunchTemplateProps,
    type SpotInstanceRequestProps,
} from "../../lib/aws";
import { eachKnown, forType, isRecord, resourcePolicyByType } from "../../lib/branches";
import { TYPES, type Branch } from "../../lib/policy";

// Unset `encrypted` is a violation: the volume is then encrypted only if its snapshot is or the
// account's "EBS encryption by default" is on, and neither is visible to a policy.
const UNSET = "so the volume is encrypted only if its snapshot is or the account's EBS encryption by default is on";

function instanceVolume(path: string, device: InstanceBlockDeviceProps | undefined): string | undefined {
    const encrypted = device?.encrypted;
    if (encrypted === true) {
        return undefined;
    }
    return encrypted === undefined || encrypted === null
        ? `${path}.encrypted is not set, ${UNSET}; expected true (CIS AWS 2.2.1).`
        : `${path}.encrypted is ${JSON.stringify(encrypted)}; expected true (CIS AWS 2.2.1).`;
}

/** An instance's volumes, or those of the instance a spot request launches. */
const INSTANCE: Branch<InstanceProps | SpotInstanceRequestProps, KmsConfig>[] = [
    (p) => instanceVolume("rootBlockDevice", p.rootBlockDevice),
    (p) => eachKnown(p.ebsBlockDevices, (d, i) => instanceVolume(`ebsBlockDevices[${i}]`, d)),
    (p, c) => volumeKey("rootBlockDevice.kmsKeyId", p.rootBlockDevice?.kmsKeyId, c),
    (p, c) => eachKnown(p.ebsBlockDevices, (d, i) => volumeKey(`ebsBlockDevices[${i}].kmsKeyId`, d.kmsKeyId, c)),
];

/**
 * CIS AWS 2.2.1: every EBS volume an instance, a spot instance request or a launch template creates
 * is encrypted, with the org's KMS key when it names one. An instance launched from a launch
 * template inherits unset devices from it, but the template may live outside the stack: the
 * instance must say so itself.
 */
export const instanceRequireEncryptedVolumes = resourcePolicyByType<KmsConfig>(
    {
        name: "aws-instance-require-encrypted-volumes",
        description:
            "EC2 instances, spot instance requests and launch templates must encrypt every EBS volume they create.",
        cis: "2.2.1",
        benchmark: "aws",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation:
            'set encrypted to true on rootBlockDevice and on every ebsBlockDevices entry (on a launch template, blockDeviceMappings[].ebs.encrypted to "true"), with kmsKeyId set to the key the policy requires, if any.',
        config: { requiredKmsKeyId: REQUIRED_KMS_KEY_SCHEMA },
    },
    [
        forType<InstanceProps, KmsConfig>(TYPES.awsInstance, INSTANCE),
        forType<SpotInstanceRequestProps, KmsConfig>(
            TYPES.awsSpotInstanceRequest,
            INSTANCE,
            "aws-spot-instance-request-require-encrypted-volumes",
        ),
        forType<LaunchTemplateProps, KmsConfig>(
            TYPES.awsLaunchTemplate,
            [
                // A mapping without `ebs` is an instance store volume or a suppressed device; an `ebs` that
                // is not an object (the provider would reject it) is skipped like one.
                (p) =>
                    eachKnown(p.blockDeviceMappings, (m, i) => {
                        if (!isRecord(m.ebs) || isTrue(m.ebs.encrypted)) {
                            return undefined;
                        }
                        const path = `blockDeviceMappings[${i}].ebs.encrypted`;
                        return isUnsetString(m.ebs.encrypted)
                            ? `${path} is not set, ${UNSET}; expected "true" (CIS AWS 2.2.1).`
                            : `${path} is ${JSON.stringify(m.ebs.encrypted)}; expected "true" (CIS AWS 2.2.1).`;
                    }),
                (p, c) =>
                    eachKnown(p.blockDeviceMappings, (m, i) =>
                        !isRecord(m.ebs)
                            ? undefined
                            : volumeKey(`blockDeviceMappings[${i}].ebs.kmsKeyId`, m.ebs.kmsKeyId, c),
                    ),
            ],
            "aws-launch-template-require-encrypted-volumes",
        ),
    ],
);
