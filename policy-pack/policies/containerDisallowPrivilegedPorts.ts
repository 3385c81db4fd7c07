import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

interface Config {
    portFloor: number;
}

/** CIS 5.8: no host port below the floor (1024). */
export const containerDisallowPrivilegedPorts = resourcePolicy<ContainerProps, Config>(
    {
        name: "docker-container-disallow-privileged-ports",
        description: "Docker containers must not publish host ports below 1024.",
        cis: "5.8",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation:
            "publish on a host port at or above the floor and let a load balancer or the host firewall map the well-known port.",
        config: {
            portFloor: {
                type: "integer",
                minimum: 1,
                maximum: 65535,
                default: 1024,
                description: "Lowest host port a container may publish.",
            },
        },
    },
    TYPES.container,
    [
        (p, c) =>
            (p.ports ?? [])
                .map((port, i) => ({ port, i }))
                .filter(
                    ({ port }) => typeof port.external === "number" && port.external > 0 && port.external < c.portFloor,
                )
                .map(
                    ({ port, i }) =>
                        `ports[${i}].external is ${port.external}; expected ${c.portFloor} or above (CIS 5.8).`,
                ),
    ],
);
