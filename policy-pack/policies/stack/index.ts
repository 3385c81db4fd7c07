import type { HardenedPolicy } from "../../lib/policy";
import { containerRequireHardenedHost } from "./containerRequireHardenedHost";
import { hostRequireDataVolume } from "./hostRequireDataVolume";

/** The policies that read the whole stack: hosts, their volumes, and where containers run. */
export const STACK_POLICIES: readonly HardenedPolicy[] = [hostRequireDataVolume, containerRequireHardenedHost];
