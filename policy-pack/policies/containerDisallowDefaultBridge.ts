import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 5.30: the container is not on Docker's default bridge. */
export const containerDisallowDefaultBridge = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-disallow-default-bridge",
        description: "Docker containers must join a user-defined network, not the default bridge docker0.",
        cis: "5.30",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation: "set networkMode to a user-defined network's name (or list it in networksAdvanced).",
    },
    TYPES.container,
    [
        (p) => {
            const mode = p.networkMode;
            if (mode === "bridge" || mode === "default") {
                return `networkMode is "${mode}", Docker's default bridge; expected a user-defined network (CIS 5.30).`;
            }
            if ((mode === undefined || mode === "") && (p.networksAdvanced ?? []).length === 0) {
                return "networkMode and networksAdvanced are unset, so the container joins Docker's default bridge; expected a user-defined network (CIS 5.30).";
            }
            return undefined;
        },
        (p) =>
            (p.networksAdvanced ?? [])
                .map((n, i) => ({ n, i }))
                .filter(({ n }) => n.name === "bridge")
                .map(
                    ({ i }) =>
                        `networksAdvanced[${i}].name is "bridge", Docker's default bridge; expected a user-defined network (CIS 5.30).`,
                ),
    ],
);
