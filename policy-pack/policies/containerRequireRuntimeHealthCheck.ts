import { durationSeconds, type ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

interface Config {
    maxIntervalSeconds: number;
}

/** CIS 5.27: the health check actually runs often enough to notice a failure at runtime. */
export const containerRequireRuntimeHealthCheck = resourcePolicy<ContainerProps, Config>(
    {
        name: "docker-container-require-runtime-health-check",
        description: "A Docker container's health check must run at runtime, often enough to notice a failure.",
        cis: "5.27",
        severity: "medium",
        enforcementLevel: "advisory",
        remediation: "set healthcheck.interval and healthcheck.timeout to at most the allowed interval.",
        config: {
            maxIntervalSeconds: {
                type: "integer",
                minimum: 1,
                default: 300,
                description: "Longest allowed healthcheck.interval and healthcheck.timeout, in seconds.",
            },
        },
    },
    TYPES.container,
    [
        (p, c) => {
            const interval = durationSeconds(p.healthcheck?.interval);
            return interval !== undefined && interval > c.maxIntervalSeconds
                ? `healthcheck.interval is ${p.healthcheck?.interval}; expected at most ${c.maxIntervalSeconds}s so that a failure is seen at runtime (CIS 5.27).`
                : undefined;
        },
        (p, c) => {
            const timeout = durationSeconds(p.healthcheck?.timeout);
            return timeout !== undefined && timeout > c.maxIntervalSeconds
                ? `healthcheck.timeout is ${p.healthcheck?.timeout}; expected at most ${c.maxIntervalSeconds}s so that a hung probe counts as a failure (CIS 5.27).`
                : undefined;
        },
    ],
);
