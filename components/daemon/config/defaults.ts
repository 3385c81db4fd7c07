/**
 * Secure defaults of the daemon configuration step (CIS section 2). Each is a decision; each says why.
 */
export const DAEMON_CONFIG_DEFAULTS = Object.freeze({
    /** CIS 2.2: containers on the default bridge cannot reach each other; user networks say who talks. */
    icc: false,
    /** CIS 2.3: enough to audit what the daemon did, without debug's volume. */
    logLevel: "info" as const,
    /** CIS 2.6: the driver Docker maintains and tests first, on every supported kernel. */
    storageDriver: "overlay2" as const,
    /**
     * CIS 2.8: 65536 open files covers busy servers, far below the kernel's 1048576 ceiling;
     * 16384 processes per user is a host-wide backstop, not the per-container limit (that is the
     * container's pids limit, CIS 5.29): with remapping, the containers' root users share one host
     * uid, and this many processes leaves room for all of them.
     */
    defaultUlimits: Object.freeze({
        nofile: Object.freeze({ soft: 65536, hard: 65536 }),
        nproc: Object.freeze({ soft: 16384, hard: 16384 }),
    }),
    /** CIS 2.9: container root is an unprivileged host user (`dockremap`, ranges from /etc/subuid). */
    usernsRemap: "default" as string | false,
    /** CIS 2.13: straight to the central server; journald is the other choice, json-file never. */
    logDriver: "syslog" as const,
    /** Names the container in every line the central server receives. */
    logTag: "{{.Name}}/{{.ID}}",
    /** CIS 2.15: a daemon restart (this step's own, an upgrade's) does not stop the containers. */
    liveRestore: true,
    /** A port published without an address answers on loopback only (matches HardenedContainer). */
    ip: "127.0.0.1",
    /** The conventional port of the Docker API over TLS. */
    tlsPort: 2376,
    /** Docker's own data root: no `data-root` key is written for it. */
    dataRoot: "/var/lib/docker",
    /** Where each file goes; modes and owners are CIS 3.9 to 3.14, 3.17 and 3.18. */
    paths: Object.freeze({
        daemonJson: "/etc/docker/daemon.json",
        seccompProfile: "/etc/docker/seccomp.json",
        tlsCa: "/etc/docker/tls/ca.pem",
        tlsCert: "/etc/docker/tls/server-cert.pem",
        tlsKey: "/etc/docker/tls/server-key.pem",
        /** Clears the unit's `-H fd://` and `$DOCKER_OPTS`: daemon.json alone configures dockerd. */
        dropIn: "/etc/systemd/system/docker.service.d/hardened-docker.conf",
    }),
    /** The containerd socket the packaged units of docker.io and docker-ce pass to dockerd. */
    containerdSocket: "/run/containerd/containerd.sock",
    /** Seconds to wait for dockerd to answer after a restart before rolling back. */
    restartWaitSeconds: 60,
});
