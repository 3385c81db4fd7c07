import type { PolicyResource } from "@pulumi/policy";
import type { CommandProps } from "../lib/docker";
import { known, stackPolicy, TYPES, type StackFinding } from "../lib/policy";

interface Config {
    maxPidsLimit: number;
}

const PIDS_LIMIT = /\bupdate --pids-limit ([0-9]+)\b/;

/** The PIDs limit a command applies, from its script text, or undefined. */
export function pidsLimitOf(command: PolicyResource): number | undefined {
    const create = known(() => (command.props as CommandProps).create);
    if (typeof create !== "string") {
        return undefined;
    }
    const m = PIDS_LIMIT.exec(create);
    return m === null ? undefined : Number(m[1]);
}

/**
 * CIS 5.29: every container has a PIDs limit. `@pulumi/docker` 5.2.0 has no input for it, so the
 * limit is applied by a command (remote or local) that depends on the container and runs
 * `docker update --pids-limit N`, as HardenedContainer does; this policy looks for that command.
 */
export const containerRequirePidsLimit = stackPolicy<Config>(
    {
        name: "docker-container-require-pids-limit",
        description: "Every Docker container must get a PIDs limit from a command that depends on it.",
        cis: "5.29",
        severity: "medium",
        enforcementLevel: "advisory",
        remediation:
            "deploy the container with HardenedContainer, or add a command that depends on it and runs `docker update --pids-limit N <id>`.",
        config: {
            maxPidsLimit: {
                type: "integer",
                minimum: 1,
                default: 4096,
                description: "Highest PIDs limit that still counts as a limit.",
            },
        },
    },
    (resources, config) => {
        const limits = new Map<string, number[]>();
        // Containers with a dependent command whose script is unknown during preview: not judged.
        const undecided = new Set<string>();
        for (const r of resources) {
            if (r.type !== TYPES.remoteCommand && r.type !== TYPES.localCommand) {
                continue;
            }
            const create = known(() => (r.props as CommandProps).create);
            const limit = pidsLimitOf(r);
            for (const dep of r.dependencies) {
                if (create === undefined) {
                    undecided.add(dep.urn);
                } else if (limit !== undefined) {
                    limits.set(dep.urn, [...(limits.get(dep.urn) ?? []), limit]);
                }
            }
        }
        const findings: StackFinding[] = [];
        for (const r of resources) {
            if (r.type !== TYPES.container || undecided.has(r.urn)) {
                continue;
            }
            const applied = limits.get(r.urn) ?? [];
            if (applied.length === 0) {
                findings.push({
                    resource: r,
                    message: `container ${r.name} has no PIDs limit: no command that depends on it runs docker update --pids-limit (CIS 5.29).`,
                });
            } else if (applied.some((n) => n < 1 || n > config.maxPidsLimit)) {
                findings.push({
                    resource: r,
                    message: `container ${r.name} gets the PIDs limit ${applied.join(", ")}; expected 1 to ${config.maxPidsLimit} (CIS 5.29).`,
                });
            }
        }
        return findings;
    },
);
