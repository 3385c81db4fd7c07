import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 5.13: the root filesystem is read-only. */
export const containerRequireReadOnlyRoot = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-require-read-only-root",
        description: "Docker containers must mount their root filesystem read-only.",
        cis: "5.13",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation: "set readOnly to true and give the paths the service writes as tmpfs mounts or volumes.",
    },
    TYPES.container,
    [(p) => (p.readOnly === true ? undefined : "readOnly is not true; expected true (CIS 5.13).")],
);
