export * from "./args";
export * from "./targets";
export { HardenedHost, planHost, STEP_ORDER, waitForPortScript, type HostPlan } from "./hardenedHost";
export { RUN_AS_ROOT } from "./commands";
export { DOCKER_API_PORTS } from "./validateTarget";
export type { HostContext, HostStep, RenderedFile } from "./step";
