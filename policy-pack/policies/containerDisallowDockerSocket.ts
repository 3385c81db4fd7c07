import type { ContainerProps } from "../lib/docker";
import { resourcePolicy, TYPES } from "../lib/policy";
import { forbiddenMounts } from "./mountRules";

/** CIS 5.32: the Docker socket (or the engine's state) is not mounted. */
export const containerDisallowDockerSocket = resourcePolicy<ContainerProps>(
    {
        name: "docker-container-disallow-docker-socket-mount",
        description: "Docker containers must not mount the Docker or containerd socket, or the engine's state.",
        cis: "5.32",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediation:
            "remove the mount; a container that must manage others needs a narrowly scoped API proxy, not the socket.",
    },
    TYPES.container,
    [(p) => forbiddenMounts(p, "5.32")],
);
