import type { NetworkProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 2.2 on user-defined bridge networks: containers on a network cannot reach each other. */
export const networkDisableIcc = resourcePolicy<NetworkProps>(
    {
        name: "docker-network-disable-icc",
        description: "Docker bridge networks must turn inter-container communication off.",
        cis: "2.2",
        severity: "medium",
        enforcementLevel: "advisory",
        remediation:
            'set options["com.docker.network.bridge.enable_icc"] to "false"; waive the policy for a network whose containers must talk, with the reason.',
    },
    TYPES.network,
    [
        (p) => {
            if (p.driver !== undefined && p.driver !== "" && p.driver !== "bridge") {
                return undefined;
            }
            const icc = p.options?.["com.docker.network.bridge.enable_icc"];
            return icc === "false"
                ? undefined
                : `options["com.docker.network.bridge.enable_icc"] is ${icc === undefined ? "unset (true)" : `"${icc}"`}; expected "false" (CIS 2.2).`;
        },
    ],
);
