import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";

/** CIS 5.17: the host's IPC namespace is not shared. */
export const containerDisallowHostIpc = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-disallow-host-ipc",
        description: "Docker containers must not share the host's IPC namespace.",
        cis: "5.17",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation: 'set ipcMode to "private" or remove it.',
    },
    TYPES.container,
    [(p) => (p.ipcMode === "host" ? 'ipcMode is "host"; expected "private" (CIS 5.17).' : undefined)],
);
