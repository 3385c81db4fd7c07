/**
 * Who may use Docker without sudo (CIS Docker Benchmark v1.6.0 1.1.2). A member of the `docker`
 * group can reach the engine's socket, and through it start a privileged container: the group is
 * root-equivalent. The step creates the group if it is missing (so it exists before the engine is
 * installed), makes its member list exactly `trustedUsers`, and refuses to run while another user
 * has it as primary group.
 */
export interface DockerGroupArgs {
    /**
     * The users who may control Docker, by name. Each must exist on the host. Every other member is
     * removed from the group. HardenedHost always adds the SSH user the deployment connects as
     * (it has root through sudo anyway, and the Docker provider's ssh:// endpoint runs as it). CIS 1.1.2.
     * @default [] (only root and the deployment user control Docker)
     */
    trustedUsers?: string[];
}
