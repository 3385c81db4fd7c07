import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 5.5: no privileged containers. */
export const containerDisallowPrivileged = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-disallow-privileged",
        description: "Docker containers must not run privileged.",
        cis: "5.5",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediation: "remove privileged (or set it to false) and add the few capabilities the service needs instead.",
    },
    TYPES.container,
    [(p) => (p.privileged === true ? "privileged is true; expected false (CIS 5.5)." : undefined)],
);
