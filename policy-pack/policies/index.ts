import type { HardenedPolicy } from "../lib/policy";
import { compareCisIds } from "../lib/rules/cisIds";
import { containerDisallowCgroupParent } from "./containerDisallowCgroupParent";
import { containerDisallowDefaultBridge } from "./containerDisallowDefaultBridge";
import { containerDisallowDockerSocket } from "./containerDisallowDockerSocket";
import { containerDisallowHostDevices } from "./containerDisallowHostDevices";
import { containerDisallowHostIpc } from "./containerDisallowHostIpc";
import { containerDisallowHostNetwork } from "./containerDisallowHostNetwork";
import { containerDisallowHostPid } from "./containerDisallowHostPid";
import { containerDisallowHostUserns } from "./containerDisallowHostUserns";
import { containerDisallowPrivileged } from "./containerDisallowPrivileged";
import { containerDisallowPrivilegedPorts } from "./containerDisallowPrivilegedPorts";
import { containerDisallowSensitiveMounts } from "./containerDisallowSensitiveMounts";
import { containerDisallowSharedPropagation } from "./containerDisallowSharedPropagation";
import { containerDisallowUnconfinedSeccomp } from "./containerDisallowUnconfinedSeccomp";
import { containerRequireAppArmor } from "./containerRequireAppArmor";
import { containerRequireCpuLimit } from "./containerRequireCpuLimit";
import { containerRequireHealthcheck } from "./containerRequireHealthcheck";
import { containerRequireHostAddress } from "./containerRequireHostAddress";
import { containerRequireMemoryLimit } from "./containerRequireMemoryLimit";
import { containerRequireNoNewPrivileges } from "./containerRequireNoNewPrivileges";
import { containerRequireNonRootUser } from "./containerRequireNonRootUser";
import { containerRequirePidsLimit } from "./containerRequirePidsLimit";
import { containerRequireReadOnlyRoot } from "./containerRequireReadOnlyRoot";
import { containerRequireRuntimeHealthCheck } from "./containerRequireRuntimeHealthCheck";
import { containerRequireSelinuxLabels } from "./containerRequireSelinuxLabels";
import { containerRestrictCapabilities } from "./containerRestrictCapabilities";
import { containerRestrictRestartPolicy } from "./containerRestrictRestartPolicy";
import { imageRequireDigestPin } from "./imageRequireDigestPin";
import { imageRequireTrustedRegistry } from "./imageRequireTrustedRegistry";
import { networkDisableIcc } from "./networkDisableIcc";
import { AWS_POLICIES } from "./aws";
import { DAEMON_POLICIES } from "./daemon";
import { STACK_POLICIES } from "./stack";

/**
 * Every policy of the pack, in CIS order: the Docker benchmark's, then the AWS benchmark's; a rule's
 * policies together, the one named after the rule first.
 */
export const ALL_POLICIES: readonly HardenedPolicy[] = Object.freeze(
    [
        containerDisallowCgroupParent,
        containerDisallowDefaultBridge,
        containerDisallowDockerSocket,
        containerDisallowHostDevices,
        containerDisallowHostIpc,
        containerDisallowHostNetwork,
        containerDisallowHostPid,
        containerDisallowHostUserns,
        containerDisallowPrivileged,
        containerDisallowPrivilegedPorts,
        containerDisallowSensitiveMounts,
        containerDisallowSharedPropagation,
        containerDisallowUnconfinedSeccomp,
        containerRequireAppArmor,
        containerRequireCpuLimit,
        containerRequireHealthcheck,
        containerRequireHostAddress,
        containerRequireMemoryLimit,
        containerRequireNoNewPrivileges,
        containerRequireNonRootUser,
        containerRequirePidsLimit,
        containerRequireReadOnlyRoot,
        containerRequireRuntimeHealthCheck,
        containerRequireSelinuxLabels,
        containerRestrictCapabilities,
        containerRestrictRestartPolicy,
        imageRequireDigestPin,
        imageRequireTrustedRegistry,
        networkDisableIcc,
        ...DAEMON_POLICIES,
        ...STACK_POLICIES,
        ...AWS_POLICIES,
    ]
        .slice()
        .sort(
            (a, b) =>
                (a.meta.benchmark === "aws" ? 1 : 0) - (b.meta.benchmark === "aws" ? 1 : 0) ||
                compareCisIds(a.meta.cis, b.meta.cis) ||
                a.rule.localeCompare(b.rule) ||
                (a.meta.name === a.rule ? 0 : 1) - (b.meta.name === b.rule ? 0 : 1) ||
                a.meta.name.localeCompare(b.meta.name),
        ),
);
