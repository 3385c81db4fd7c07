import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 5.10: the host's network namespace is not shared. */
export const containerDisallowHostNetwork = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-disallow-host-network",
        description: "Docker containers must not share the host's network namespace.",
        cis: "5.10",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediation:
            "attach the container to a user-defined network (networkMode or networksAdvanced) and publish only the ports it serves.",
    },
    TYPES.container,
    [
        (p) =>
            p.networkMode === "host" ? 'networkMode is "host"; expected a user-defined network (CIS 5.10).' : undefined,
    ],
);
