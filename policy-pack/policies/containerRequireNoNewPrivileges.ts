import { securityOpt, type ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 5.26: processes in the container cannot gain privileges (setuid, file capabilities). */
export const containerRequireNoNewPrivileges = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-require-no-new-privileges",
        description: "Docker containers must set no-new-privileges.",
        cis: "5.26",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation: 'add "no-new-privileges:true" to securityOpts.',
    },
    TYPES.container,
    [
        (p) => {
            const values = securityOpt(p.securityOpts, "no-new-privileges");
            return values.some((v) => v === "" || v === "true")
                ? undefined
                : 'securityOpts has no "no-new-privileges:true"; expected it (CIS 5.26).';
        },
    ],
);
