import { securityOpt, type ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

interface Config {
    requireExplicitProfile: boolean;
}

/** CIS 5.2: an AppArmor profile confines the container. */
export const containerRequireAppArmor = resourcePolicy<ContainerProps, Config>(
    {
        name: "docker-container-require-apparmor-profile",
        description: "Docker containers must run under an AppArmor profile, never unconfined.",
        cis: "5.2",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation:
            'add "apparmor=docker-default" (or your own loaded profile) to securityOpts, and remove "apparmor=unconfined".',
        config: {
            requireExplicitProfile: {
                type: "boolean",
                default: false,
                description:
                    "Also flag containers that name no profile. Off by default: Docker then applies docker-default on hosts with AppArmor.",
            },
        },
    },
    TYPES.container,
    [
        (p) =>
            securityOpt(p.securityOpts, "apparmor").includes("unconfined")
                ? 'securityOpts has "apparmor=unconfined"; expected an AppArmor profile such as docker-default (CIS 5.2).'
                : undefined,
        (p, c) =>
            c.requireExplicitProfile && securityOpt(p.securityOpts, "apparmor").length === 0
                ? 'securityOpts names no AppArmor profile; expected "apparmor=<profile>" (CIS 5.2).'
                : undefined,
    ],
);
