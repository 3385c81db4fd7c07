import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 5.16: the host's PID namespace is not shared. */
export const containerDisallowHostPid = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-disallow-host-pid",
        description: "Docker containers must not share the host's process namespace.",
        cis: "5.16",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediation: "remove pidMode.",
    },
    TYPES.container,
    [(p) => (p.pidMode === "host" ? 'pidMode is "host"; expected it unset (CIS 5.16).' : undefined)],
);
