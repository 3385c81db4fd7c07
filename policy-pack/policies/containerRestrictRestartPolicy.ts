import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

interface Config {
    maxRetryCount: number;
}

/** CIS 5.15: restart on failure, a bounded number of times (or never). */
export const containerRestrictRestartPolicy = resourcePolicy<ContainerProps, Config>(
    {
        name: "docker-container-restrict-restart-policy",
        description: "Docker containers must restart only on failure, at most 5 times.",
        cis: "5.15",
        severity: "medium",
        enforcementLevel: "advisory",
        remediation: 'set restart to "on-failure" and maxRetryCount to 1-5.',
        config: {
            maxRetryCount: {
                type: "integer",
                minimum: 1,
                default: 5,
                description: "Most restarts allowed after failures.",
            },
        },
    },
    TYPES.container,
    [
        (p) =>
            p.restart === "always" || p.restart === "unless-stopped"
                ? `restart is "${p.restart}", which restarts without bound; expected "on-failure" (CIS 5.15).`
                : undefined,
        (p, c) =>
            p.restart === "on-failure" &&
            (p.maxRetryCount === undefined || p.maxRetryCount <= 0 || p.maxRetryCount > c.maxRetryCount)
                ? `maxRetryCount is ${p.maxRetryCount ?? "unset (unlimited)"}; expected 1 to ${c.maxRetryCount} with restart "on-failure" (CIS 5.15).`
                : undefined,
    ],
);
