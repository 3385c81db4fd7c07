/**
 * hardened-docker: Pulumi components that build Docker hosts hardened to the CIS Docker Benchmark
 * v1.6.0, configure their daemon, run containers with dropped privileges, and audit the live host.
 *
 * This module is the package's one entry point (`import { HardenedHost } from "hardened-docker"`).
 * What it exports is the public API, versioned by semantic versioning (see CHANGELOG.md); anything
 * reached by a deeper path is internal and may change in any release.
 *
 * @packageDocumentation
 */
export * from "./host";
export * from "./daemon";
export * from "./container";
export * from "./network";
export * from "./compliance";
export { ArgumentError, type Waiver } from "./common/errors";
export { CIS_BENCHMARK_VERSION, LABELS, TOKENS } from "./common/tokens";
