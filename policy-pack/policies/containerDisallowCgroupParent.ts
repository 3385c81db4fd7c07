import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 5.25: the container stays in Docker's cgroup. */
export const containerDisallowCgroupParent = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-disallow-custom-cgroup-parent",
        description: "Docker containers must not set a custom cgroup parent.",
        cis: "5.25",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation: "remove cgroupParent so the container's limits live in Docker's own cgroup.",
    },
    TYPES.container,
    [
        (p) =>
            p.cgroupParent !== undefined && p.cgroupParent !== ""
                ? `cgroupParent is ${p.cgroupParent}; expected it unset (CIS 5.25).`
                : undefined,
    ],
);
