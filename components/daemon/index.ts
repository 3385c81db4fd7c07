export * from "./args";
export { DockerDaemon, planDaemon, type DaemonPlan } from "./dockerDaemon";
export type { DaemonConfigArgs, DaemonConfigPlan } from "./config";
export type * from "./config/args";
export type { DaemonWaiverRecord } from "./config/validate";
