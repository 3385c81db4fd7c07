export * from "./args";
export { NETWORK_DEFAULTS } from "./defaults";
export { BRIDGE_OPTIONS, renderNetworkArgs } from "./render";
export { validateNetworkArgs, type NetworkPlan } from "./validate";
export { HardenedNetwork } from "./hardenedNetwork";
