export * from "./args";
export { CONTAINER_DEFAULTS } from "./defaults";
export { renderContainerArgs, renderPidsLimitScript } from "./render";
export {
    validateContainerArgs,
    validateImage,
    validateHostAddress,
    validateSeccompProfile,
    isRootUser,
} from "./validate";
export { HardenedContainer } from "./hardenedContainer";
export type { ContainerPlan } from "./validate";
export type { ContainerInputs } from "./render";
export * from "./seccomp";
export type * from "./apparmor/args";
export type { AppArmorPlan } from "./apparmor/profile";
