export * from "./args";
export { DockerDaemon, planDaemon, type DaemonPlan } from "./dockerDaemon";
export type { DaemonConfigArgs, DaemonConfigPlan } from "./config";
