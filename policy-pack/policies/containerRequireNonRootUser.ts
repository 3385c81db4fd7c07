import { resourcePolicy, TYPES } from "../lib/policy";
import type { ContainerProps } from "../lib/docker";

/** CIS 4.1: a container runs as a non-root user. */
export const containerRequireNonRootUser = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-require-non-root-user",
        description: "Docker containers must run as a non-root user.",
        cis: "4.1",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation: "set user to a non-root name, uid or uid:gid that the image provides.",
    },
    TYPES.container,
    [
        (p) =>
            p.user === undefined || p.user === ""
                ? "user is not set, so the container runs as the image's default user, which is root unless the image says otherwise; expected a non-root user (CIS 4.1)."
                : undefined,
        (p) => {
            const name = (p.user ?? "").split(":")[0];
            return name === "root" || /^0+$/.test(name)
                ? `user is ${p.user}, which is root; expected a non-root user (CIS 4.1).`
                : undefined;
        },
    ],
);
