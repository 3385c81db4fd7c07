import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

interface Config {
    allowedCapabilities: string[];
}

function bare(name: string): string {
    const upper = name.trim().toUpperCase();
    return upper.startsWith("CAP_") ? upper.slice(4) : upper;
}

/** CIS 5.4: drop every capability and add back only allowed ones. */
export const containerRestrictCapabilities = resourcePolicy<ContainerProps, Config>(
    {
        name: "docker-container-restrict-capabilities",
        description: "Docker containers must drop ALL capabilities and add back only allowed ones.",
        cis: "5.4",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediation:
            'set capabilities.drops to ["ALL"] and list in capabilities.adds only capabilities the policy allows.',
        config: {
            allowedCapabilities: {
                type: "array",
                items: { type: "string", pattern: "^(CAP_)?[A-Z_]+$" },
                default: [
                    "CHOWN",
                    "DAC_OVERRIDE",
                    "FOWNER",
                    "FSETID",
                    "KILL",
                    "NET_BIND_SERVICE",
                    "SETGID",
                    "SETPCAP",
                    "SETUID",
                ],
                description: "Capabilities a container may add, with or without CAP_.",
            },
        },
    },
    TYPES.container,
    [
        (p) =>
            (p.capabilities?.drops ?? []).map(bare).includes("ALL")
                ? undefined
                : 'capabilities.drops does not include "ALL"; expected ["ALL"] (CIS 5.4).',
        (p, c) => {
            const allowed = c.allowedCapabilities.map(bare);
            const extra = (p.capabilities?.adds ?? []).map(bare).filter((cap) => !allowed.includes(cap));
            return extra.length > 0
                ? `capabilities.adds has ${extra.join(", ")}, not in the allowed list (${allowed.join(", ")}) (CIS 5.4).`
                : undefined;
        },
    ],
);
