import { REQUIRED_KMS_KEY_SCHEMA, volumeKey, type KmsConfig, type VolumeProps } from "../../lib/aws";
import { resourcePolicy, TYPES } from "../../lib/policy";

/**
 * CIS AWS 2.2.1: a standalone EBS volume (the Docker data disk) is encrypted, with the org's KMS
 * key when it names one. Unset `encrypted` is a violation: the volume is then encrypted only if
 * its snapshot is or the account's "EBS encryption by default" is on, neither visible here.
 */
export const ebsRequireEncryption = resourcePolicy<VolumeProps, KmsConfig>(
    {
        name: "aws-ebs-require-encryption",
        description: "EBS volumes must be encrypted.",
        cis: "2.2.1",
        benchmark: "aws",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation: "set encrypted to true, and kmsKeyId to the key the policy requires, if any.",
        config: { requiredKmsKeyId: REQUIRED_KMS_KEY_SCHEMA },
    },
    TYPES.awsEbsVolume,
    [
        (p) => {
            if (p.encrypted === true) {
                return undefined;
            }
            return p.encrypted === undefined || p.encrypted === null
                ? "encrypted is not set, so the volume is encrypted only if its snapshot is or the account's EBS encryption by default is on; expected true (CIS AWS 2.2.1)."
                : `encrypted is ${JSON.stringify(p.encrypted)}; expected true (CIS AWS 2.2.1).`;
        },
        (p, c) => volumeKey("kmsKeyId", p.kmsKeyId, c),
    ],
);
