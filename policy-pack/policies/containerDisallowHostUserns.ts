import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 5.31: the host's user namespace is not shared. */
export const containerDisallowHostUserns = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-disallow-host-userns",
        description: "Docker containers must not share the host's user namespace.",
        cis: "5.31",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediation: "remove usernsMode so the daemon's user namespace remapping applies.",
    },
    TYPES.container,
    [(p) => (p.usernsMode === "host" ? 'usernsMode is "host"; expected it unset (CIS 5.31).' : undefined)],
);
