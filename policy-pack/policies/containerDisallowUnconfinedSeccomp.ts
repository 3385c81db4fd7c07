import { securityOpt, type ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 5.22: the default seccomp profile is not disabled. */
export const containerDisallowUnconfinedSeccomp = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-disallow-unconfined-seccomp",
        description: "Docker containers must not run without a seccomp profile.",
        cis: "5.22",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation: 'remove "seccomp=unconfined" from securityOpts; use Docker\'s default profile or a tighter one.',
    },
    TYPES.container,
    [
        (p) =>
            securityOpt(p.securityOpts, "seccomp").includes("unconfined")
                ? 'securityOpts has "seccomp=unconfined"; expected Docker\'s default or a custom profile (CIS 5.22).'
                : undefined,
    ],
);
