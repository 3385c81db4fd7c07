import type { HardenedPolicy } from "../../lib/policy";
import { daemonDisableExperimental } from "./daemonDisableExperimental";
import { daemonDisableIcc } from "./daemonDisableIcc";
import { daemonDisableUserlandProxy } from "./daemonDisableUserlandProxy";
import { daemonDisallowBaseDeviceSize } from "./daemonDisallowBaseDeviceSize";
import { daemonDisallowCgroupParent } from "./daemonDisallowCgroupParent";
import { daemonDisallowDeprecatedStorageDriver } from "./daemonDisallowDeprecatedStorageDriver";
import { daemonDisallowInsecureRegistries } from "./daemonDisallowInsecureRegistries";
import { daemonRequireIptables } from "./daemonRequireIptables";
import { daemonRequireLiveRestore } from "./daemonRequireLiveRestore";
import { daemonRequireNoNewPrivileges } from "./daemonRequireNoNewPrivileges";
import { daemonRequireRemoteLogging } from "./daemonRequireRemoteLogging";
import { daemonRequireReviewableConfig } from "./daemonRequireReviewableConfig";
import { daemonRequireTlsVerify } from "./daemonRequireTlsVerify";
import { daemonRequireUsernsRemap } from "./daemonRequireUsernsRemap";
import { daemonRestrictLogLevel } from "./daemonRestrictLogLevel";
import { providerRequireTls } from "./providerRequireTls";

/**
 * The daemon policies of the pack: daemon.json as commands write it (CIS section 2), each rule as a
 * policy over remote commands and one over local commands; and the providers that reach the daemon.
 */
export const DAEMON_POLICIES: readonly HardenedPolicy[] = [
    ...daemonRequireReviewableConfig,
    ...daemonDisableIcc,
    ...daemonRestrictLogLevel,
    ...daemonRequireIptables,
    ...daemonDisallowInsecureRegistries,
    ...daemonDisallowDeprecatedStorageDriver,
    ...daemonRequireTlsVerify,
    providerRequireTls,
    ...daemonRequireUsernsRemap,
    ...daemonDisallowCgroupParent,
    ...daemonDisallowBaseDeviceSize,
    ...daemonRequireRemoteLogging,
    ...daemonRequireNoNewPrivileges,
    ...daemonRequireLiveRestore,
    ...daemonDisableUserlandProxy,
    ...daemonDisableExperimental,
];
