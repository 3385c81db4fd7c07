export * from "./args";
export { MINIMAL_DEFAULTS } from "./defaults";
export { MINIMAL_MAIN, renderMinimal } from "./render";
export { guardFor, validateMinimalArgs, type MinimalPlan } from "./validate";
