import type { Waiver } from "../../common/errors";

/**
 * A TCP socket for the Docker API (CIS 2.7): TLS with client verification, always. Without it the
 * daemon listens on its Unix socket only, and remote clients come in over SSH.
 */
export interface DaemonTls {
    /**
     * The address and port dockerd listens on: `192.0.2.10:2376`, `[2001:db8::10]:2376`, or an
     * address alone for port 2376. One of the host's addresses; `0.0.0.0` and `::` are refused.
     */
    listenAddress: string;
    /**
     * The PEM certificate(s) of the CA that signed the clients' certificates: dockerd accepts only
     * clients that present one (`tlsverify`). Installed at /etc/docker/tls/ca.pem, 0444 root:root
     * (CIS 3.9, 3.10).
     */
    caCertificate: string;
    /** The server's PEM certificate. Installed at /etc/docker/tls/server-cert.pem, 0444 root:root (CIS 3.11, 3.12). */
    serverCertificate: string;
    /**
     * The server's PEM private key, unencrypted, matching `serverCertificate`. Secret: pass a
     * Pulumi secret; it travels only inside the step's script on stdin (which is then a secret) and
     * is installed at /etc/docker/tls/server-key.pem, 0400 root:root (CIS 3.13, 3.14).
     */
    serverKey: string;
}

/** A resource limit for every container that sets none (CIS 2.8). */
export interface DaemonUlimit {
    /** The soft limit, at most `hard`. */
    soft: number;
    hard: number;
}

/** The relaxations of CIS section 2 that need a reason. Each is recorded in the plan with its reason. */
export interface DaemonConfigWaivers {
    /** Needed for `icc: true` (CIS 2.2). */
    interContainerCommunication?: Waiver;
    /** Needed for `usernsRemap: false` (CIS 2.9). */
    noUsernsRemap?: Waiver;
    /** Needed when `authorizationPlugins` is empty (CIS 2.12). */
    noAuthorizationPlugin?: Waiver;
    /** Needed for `liveRestore: false` (CIS 2.15), and so for `swarm: true`. */
    noLiveRestore?: Waiver;
}

/**
 * The Docker daemon's configuration, /etc/docker/daemon.json (CIS section 2). Every field is
 * optional and defaults to the secure value; a relaxation needs a waiver with its reason. The
 * file is the daemon's only configuration: a systemd drop-in starts dockerd without flags (other
 * than `--containerd`), so `-H fd://` moves to `hosts` and DOCKER_OPTS no longer applies.
 */
export interface DaemonConfigArgs {
    /**
     * Traffic between containers on the default bridge (CIS 2.2, `icc`). `true` needs
     * `waivers.interContainerCommunication`.
     * @default false
     */
    icc?: boolean;
    /**
     * The daemon's log level (CIS 2.3, `log-level`): `info`, or the quieter `warn` or `error`;
     * `debug` is refused.
     * @default "info"
     */
    logLevel?: "info" | "warn" | "error";
    /**
     * Docker manages iptables (CIS 2.4, `iptables`). Only `true`: without it published ports and
     * the isolation between networks are left to hand-written rules.
     * @default true
     */
    iptables?: true;
    /**
     * Registries reached over plain HTTP or unverified TLS (CIS 2.5). Must be empty.
     * @default []
     */
    insecureRegistries?: string[];
    /**
     * The storage driver (CIS 2.6, `storage-driver`): `overlay2`, `btrfs`, `zfs` or
     * `fuse-overlayfs`; `aufs` and `devicemapper` are refused. `btrfs` and `zfs` need the data
     * root on such a file system.
     * @default "overlay2"
     */
    storageDriver?: "overlay2" | "btrfs" | "zfs" | "fuse-overlayfs";
    /**
     * A TCP socket with TLS and client verification (CIS 2.7).
     * @default none: the Unix socket only (`hosts: ["fd://"]`, socket-activated by docker.socket)
     */
    tls?: DaemonTls;
    /**
     * Default ulimits of containers (CIS 2.8, `default-ulimits`), by name (`nofile`, `nproc`,
     * `core`, ...), merged over the defaults.
     * @default { nofile: { soft: 65536, hard: 65536 }, nproc: { soft: 16384, hard: 16384 } }
     */
    defaultUlimits?: Record<string, DaemonUlimit>;
    /**
     * User namespace remapping (CIS 2.9, `userns-remap`): `"default"` (the `dockremap` user, whose
     * /etc/subuid and /etc/subgid ranges the step creates), an existing `"user"` or `"user:group"`
     * with its own ranges, or `false` with `waivers.noUsernsRemap`. With remapping, the daemon's
     * files live under `<data root>/<uid>.<gid>`, and a container that asks for `--privileged` or
     * the host's PID or network namespace must also ask for `--userns=host`.
     * @default "default"
     */
    usernsRemap?: string | false;
    /**
     * Authorization plugins that allow or deny each API request (CIS 2.12,
     * `authorization-plugins`), installed on the host beforehand. Empty needs
     * `waivers.noAuthorizationPlugin`.
     * @default []
     */
    authorizationPlugins?: string[];
    /**
     * The containers' log driver (CIS 2.13, `log-driver`): `syslog` straight to `syslogAddress`,
     * or `journald` (the host's rsyslog forwards the journal, see HardenedHost's logging step).
     * `json-file` and `local` keep logs on the host alone and are refused.
     * @default "syslog"
     */
    logDriver?: "syslog" | "journald";
    /**
     * The central syslog server for the `syslog` driver: `tcp://host:port` or `tcp+tls://host:port`.
     * Required with `syslog`; UDP is refused (it loses messages silently).
     */
    syslogAddress?: string;
    /**
     * More log options (`log-opts`): `tag`, `labels`, `labels-regex`, `env`, `env-regex`, `mode`,
     * `max-buffer-size`, and for syslog `syslog-facility`, `syslog-format`, `syslog-tls-ca-cert`,
     * `syslog-tls-cert`, `syslog-tls-key`.
     * @default { tag: "{{.Name}}/{{.ID}}" }
     */
    logOpts?: Record<string, string>;
    /**
     * Containers keep running while dockerd restarts (CIS 2.15, `live-restore`). `false` needs
     * `waivers.noLiveRestore`.
     * @default true
     */
    liveRestore?: boolean;
    /**
     * A daemon-wide seccomp profile (CIS 2.17, `seccomp-profile`): the JSON text of a Docker
     * seccomp profile whose `defaultAction` denies (not `SCMP_ACT_ALLOW` or `SCMP_ACT_LOG`).
     * Installed at /etc/docker/seccomp.json, 0644 root:root.
     * @default none: Docker's built-in default profile
     */
    seccompProfile?: string;
    /**
     * Experimental features (CIS 2.18, `experimental`). Only `false`.
     * @default false
     */
    experimental?: false;
    /**
     * The address a port published without one binds to (`ip`). A specific address; `0.0.0.0` and
     * `::` are refused.
     * @default "127.0.0.1"
     */
    ip?: string;
    /**
     * The host joins a swarm. Swarm mode is incompatible with live restore, so `true` needs
     * `liveRestore: false` (with its waiver).
     * @default false
     */
    swarm?: boolean;
    /**
     * More daemon.json keys (`dns`, `default-address-pools`, `registry-mirrors`, ...), merged last.
     * A key that another argument sets, or that weakens CIS section 2 (`cgroup-parent`,
     * `storage-opts`, `debug: true`, ...), is refused.
     * @default {}
     */
    extra?: Record<string, unknown>;
    /** Reasons for the relaxations above. A waiver for a control that is not relaxed is refused. */
    waivers?: DaemonConfigWaivers;
}
