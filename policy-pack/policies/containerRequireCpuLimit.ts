import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 5.12: CPU priority or a CPU limit is set. */
export const containerRequireCpuLimit = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-require-cpu-limit",
        description: "Docker containers must set CPU shares or a CPU limit.",
        cis: "5.12",
        severity: "medium",
        enforcementLevel: "advisory",
        remediation: "set cpuShares (other than 0 or Docker's default 1024), cpus, or cpuQuota.",
    },
    TYPES.container,
    [
        (p) => {
            const shares = p.cpuShares !== undefined && p.cpuShares !== 0 && p.cpuShares !== 1024;
            const cpus = p.cpus !== undefined && p.cpus !== "" && Number(p.cpus) > 0;
            const quota = p.cpuQuota !== undefined && p.cpuQuota > 0;
            return shares || cpus || quota
                ? undefined
                : "cpuShares, cpus and cpuQuota are unset or default, so the container competes equally for every CPU; expected one of them (CIS 5.12).";
        },
    ],
);
