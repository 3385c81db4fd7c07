import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";
import { forbiddenMounts } from "./mountRules";

/** CIS 5.6: no sensitive host directory is mounted. */
export const containerDisallowSensitiveMounts = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-disallow-sensitive-host-mounts",
        description:
            "Docker containers must not mount / /boot /dev /etc /lib /proc /sys /usr or anything beneath them.",
        cis: "5.6",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediation: "mount a named volume, or a dedicated host directory outside the system directories, instead.",
    },
    TYPES.container,
    [(p) => forbiddenMounts(p, "5.6")],
);
