import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

const EVERY_ADDRESS = ["", "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0"];

/** CIS 5.14: published ports are bound to a specific host address. */
export const containerRequireHostAddress = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-require-host-address-binding",
        description: "Docker containers must bind published ports to a specific host address.",
        cis: "5.14",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation:
            "set ports[].ip to the one host address that should answer (127.0.0.1, or the host's service address).",
    },
    TYPES.container,
    [
        (p) =>
            (p.ports ?? [])
                .map((port, i) => ({ port, i }))
                .filter(({ port }) => EVERY_ADDRESS.includes(port.ip ?? ""))
                .map(({ port, i }) =>
                    port.ip === undefined || port.ip === ""
                        ? `ports[${i}].ip is not set, so the port is published on every host address (0.0.0.0); expected a specific address (CIS 5.14).`
                        : `ports[${i}].ip is ${port.ip}, every host address; expected a specific address (CIS 5.14).`,
                ),
        (p) =>
            p.publishAllPorts === true
                ? "publishAllPorts is true, which publishes every exposed port on every host address; expected false (CIS 5.14)."
                : undefined,
    ],
);
