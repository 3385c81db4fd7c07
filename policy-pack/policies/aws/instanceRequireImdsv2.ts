import type { MetadataOptionsProps } from "../../lib/aws";
import { forType, resourcePolicyByType } from "../../lib/branches";
import { TYPES, type Branch } from "../../lib/policy";

/** With the metadata service off there are no credentials to steal: both branches hold. */
function disabled(m: MetadataOptionsProps | undefined): boolean {
    return m?.httpEndpoint === "disabled";
}

/** The same fields on an instance, a spot instance request and a launch template. */
const METADATA: Branch<{ metadataOptions?: MetadataOptionsProps }, Record<string, unknown>>[] = [
    ({ metadataOptions: m }) => {
        if (disabled(m) || m?.httpTokens === "required") {
            return undefined;
        }
        return m?.httpTokens === undefined || m.httpTokens === null
            ? 'metadataOptions.httpTokens is not set, so IMDSv1 stays available unless the AMI or the account default requires tokens; expected "required" (CIS AWS 5.6).'
            : `metadataOptions.httpTokens is ${JSON.stringify(m.httpTokens)}; expected "required" (CIS AWS 5.6).`;
    },
    ({ metadataOptions: m }) => {
        if (disabled(m) || m?.httpPutResponseHopLimit === 1) {
            return undefined;
        }
        return m?.httpPutResponseHopLimit === undefined || m.httpPutResponseHopLimit === null
            ? "metadataOptions.httpPutResponseHopLimit is not set, so AWS takes the AMI's or the account's default (2 for Amazon Linux 2023); expected 1, so that containers cannot reach the instance's credentials (CIS AWS 5.6)."
            : `metadataOptions.httpPutResponseHopLimit is ${JSON.stringify(m.httpPutResponseHopLimit)}; expected 1, so that containers cannot reach the instance's credentials (CIS AWS 5.6).`;
    },
];

/**
 * CIS AWS 5.6: IMDSv2 only, and a hop limit of 1 so that containers behind Docker's bridge (one
 * more hop) cannot fetch the instance role's credentials. Instances, spot instance requests (the
 * instance they launch takes the same metadataOptions) and launch templates.
 *
 * Unset fields are violations, on instances and launch templates alike. httpTokens: unset is
 * "optional" unless the AMI (ImdsSupport v2.0) or the account's IMDS defaults say otherwise, and
 * neither is visible here. httpPutResponseHopLimit: the EC2 API reference no longer gives a default
 * for RunInstances (API_InstanceMetadataOptionsRequest: "Possible values: Integers from 1 to 64"),
 * an AMI with ImdsSupport v2.0 sets it to 2 (API_Image, imdsSupport: "HttpPutResponseHopLimit is set
 * to 2"; Amazon Linux 2023 is such an AMI, per its user guide's IMDSv2 page), and
 * ModifyInstanceMetadataDefaults can set any account default. The "Defaults to 1" in @pulumi/aws's
 * doc comment and the launch template API's "Default: 1" hold only when neither applies. An
 * instance launched from a launch template inherits unset options from it, but the template may
 * live outside the stack: the instance must say so itself.
 */
export const instanceRequireImdsv2 = resourcePolicyByType(
    {
        name: "aws-instance-require-imdsv2",
        description:
            "EC2 instances, spot instance requests and launch templates must require IMDSv2 with a hop limit of 1.",
        cis: "5.6",
        benchmark: "aws",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation:
            'set metadataOptions.httpTokens to "required" and metadataOptions.httpPutResponseHopLimit to 1, or metadataOptions.httpEndpoint to "disabled" when nothing on the host reads instance metadata.',
    },
    [
        forType(TYPES.awsInstance, METADATA),
        forType(TYPES.awsSpotInstanceRequest, METADATA, "aws-spot-instance-request-require-imdsv2"),
        forType(TYPES.awsLaunchTemplate, METADATA, "aws-launch-template-require-imdsv2"),
    ],
);
