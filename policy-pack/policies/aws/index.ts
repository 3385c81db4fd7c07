import type { HardenedPolicy } from "../../lib/policy";
import { ebsRequireEncryption } from "./ebsRequireEncryption";
import { instanceDisallowPublicIp } from "./instanceDisallowPublicIp";
import { instanceRequireEncryptedVolumes } from "./instanceRequireEncryptedVolumes";
import { instanceRequireImdsv2 } from "./instanceRequireImdsv2";
import { securityGroupDisallowPublicAdminPorts } from "./securityGroupDisallowPublicAdminPorts";

/** The AWS policies of the pack: a rule over several resource types is one policy per type. */
export const AWS_POLICIES: readonly HardenedPolicy[] = [
    ebsRequireEncryption,
    ...instanceDisallowPublicIp,
    ...instanceRequireEncryptedVolumes,
    ...instanceRequireImdsv2,
    ...securityGroupDisallowPublicAdminPorts,
];
