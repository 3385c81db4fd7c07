import { resourcePolicy, TYPES } from "../lib/policy";
import type { ContainerProps } from "../lib/docker";

/** CIS 4.6: the container has a health check. */
export const containerRequireHealthcheck = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-require-healthcheck",
        description: "Docker containers must define a health check.",
        cis: "4.6",
        severity: "medium",
        enforcementLevel: "advisory",
        remediation: 'set healthcheck.tests to ["CMD", "<probe>", ...] with a probe the image provides.',
    },
    TYPES.container,
    [
        (p) =>
            p.healthcheck === undefined || (p.healthcheck.tests ?? []).length === 0
                ? "healthcheck is not set; expected a health check command (CIS 4.6)."
                : undefined,
        (p) =>
            (p.healthcheck?.tests ?? [])[0] === "NONE"
                ? 'healthcheck.tests is ["NONE"], which disables the image\'s health check; expected a health check command (CIS 4.6).'
                : undefined,
    ],
);
