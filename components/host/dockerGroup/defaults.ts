/**
 * Secure defaults of the docker-group step. Each is a security decision; each says why.
 */
export const DOCKER_GROUP_DEFAULTS = Object.freeze({
    /**
     * Nobody: membership is root-equivalent (`docker run --privileged -v /:/host`), so only root
     * controls Docker until the caller names someone (CIS 1.1.2).
     */
    trustedUsers: Object.freeze([]) as readonly string[],
    /** The group Docker's socket belongs to (`/var/run/docker.sock` is root:docker, CIS 3.15). */
    group: "docker",
});
