export * from "./args";
export { KERNEL_DEFAULTS, type SysctlGroup } from "./defaults";
export { KERNEL_MAIN, KERNEL_SYSCTL_PATH, renderKernel, renderKernelSysctl } from "./render";
export { validateKernelArgs, type KernelPlan, type SysctlSetting } from "./validate";
