import { securityOpt, type ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 5.3: SELinux labelling is not switched off for the container. */
export const containerRequireSelinuxLabels = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-disallow-selinux-label-disable",
        description: "Docker containers must not switch off SELinux labelling.",
        cis: "5.3",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation: 'remove "label=disable" from securityOpts; on SELinux hosts set label=type:... options instead.',
    },
    TYPES.container,
    [
        (p) =>
            securityOpt(p.securityOpts, "label").includes("disable")
                ? 'securityOpts has "label=disable", which turns SELinux confinement off; expected no such option (CIS 5.3).'
                : undefined,
    ],
);
