import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 5.20: mount propagation is not shared with the host. */
export const containerDisallowSharedPropagation = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-disallow-shared-mount-propagation",
        description: "Docker containers must not use shared mount propagation.",
        cis: "5.20",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation: 'remove mounts[].bindOptions.propagation or set it to "rprivate".',
    },
    TYPES.container,
    [
        (p) =>
            (p.mounts ?? [])
                .map((m, i) => ({ m, i }))
                .filter(({ m }) => m.bindOptions?.propagation === "shared" || m.bindOptions?.propagation === "rshared")
                .map(
                    ({ m, i }) =>
                        `mounts[${i}].bindOptions.propagation is "${m.bindOptions?.propagation}"; expected private propagation (CIS 5.20).`,
                ),
    ],
);
