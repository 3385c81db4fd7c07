import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 5.18: host devices are not exposed to the container. */
export const containerDisallowHostDevices = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-disallow-host-devices",
        description: "Docker containers must not be given host devices.",
        cis: "5.18",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation:
            "remove devices; waive the policy for the one container that truly needs a device, with its justification.",
    },
    TYPES.container,
    [
        (p) =>
            (p.devices ?? []).map(
                (d, i) => `devices[${i}] exposes the host device ${d.hostPath}; expected no devices (CIS 5.18).`,
            ),
    ],
);
