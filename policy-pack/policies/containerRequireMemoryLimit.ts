import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 5.11: memory is limited. */
export const containerRequireMemoryLimit = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-require-memory-limit",
        description: "Docker containers must have a memory limit.",
        cis: "5.11",
        severity: "medium",
        enforcementLevel: "advisory",
        remediation: "set memory (MiB) to what the service needs, and memorySwap to the same value.",
    },
    TYPES.container,
    [
        (p) =>
            p.memory === undefined || p.memory <= 0
                ? "memory is not set, so the container may use all of the host's memory; expected a limit in MiB (CIS 5.11)."
                : undefined,
    ],
);
