export * from "./container";
export * from "./network";
export { ArgumentError, type Waiver } from "./common/errors";
export { CIS_BENCHMARK_VERSION, LABELS, TOKENS } from "./common/tokens";
