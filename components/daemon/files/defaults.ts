/** One line of the expected state of Docker's files (CIS Docker Benchmark v1.6.0, section 3). */
export interface DaemonFileRule {
    /** The benchmark's two ids: the ownership recommendation, then the mode recommendation. */
    readonly cis: readonly [string, string];
    /** An absolute path, or a pattern for `kind: "glob"`. */
    readonly path: string;
    /** `user:group`, exactly. */
    readonly owner: string;
    /** Four octal digits: the loosest mode allowed, or with `exact` the only one. */
    readonly mode: string;
    /** What the path must be; `glob`: every regular file the pattern matches. */
    readonly kind: "file" | "dir" | "socket" | "glob";
    /**
     * The mode must be `mode` itself (CIS 3.14 says "400", not "400 or more restrictive").
     * Otherwise a mode whose permission bits are a subset of `mode`'s is stricter and kept.
     */
    readonly exact: boolean;
}

const rule = (
    cis: [string, string],
    path: string,
    owner: string,
    mode: string,
    kind: DaemonFileRule["kind"],
    exact = false,
): DaemonFileRule =>
    Object.freeze({ cis: Object.freeze(cis) as readonly [string, string], path, owner, mode, kind, exact });

/** Where the daemon's TLS files are (CIS 3.9–3.14); the daemon's configuration step installs them. */
export const DAEMON_TLS_DIRECTORY = "/etc/docker/tls";

/**
 * The expected state of Docker's files, in the benchmark's order. A unit file is checked at every
 * place systemd reads it from (`systemctl show -p FragmentPath` is one of them): the package's
 * directory (`/lib` is `/usr/lib` on a merged-/usr Debian 12, a separate directory on older
 * hosts) and `/etc/systemd/system` (a full local copy); a masked unit (a link to /dev/null) has no
 * file to check.
 */
export const DAEMON_FILE_RULES: readonly DaemonFileRule[] = Object.freeze([
    rule(["3.1", "3.2"], "/lib/systemd/system/docker.service", "root:root", "0644", "file"),
    rule(["3.1", "3.2"], "/usr/lib/systemd/system/docker.service", "root:root", "0644", "file"),
    rule(["3.1", "3.2"], "/etc/systemd/system/docker.service", "root:root", "0644", "file"),
    rule(["3.3", "3.4"], "/lib/systemd/system/docker.socket", "root:root", "0644", "file"),
    rule(["3.3", "3.4"], "/usr/lib/systemd/system/docker.socket", "root:root", "0644", "file"),
    rule(["3.3", "3.4"], "/etc/systemd/system/docker.socket", "root:root", "0644", "file"),
    rule(["3.5", "3.6"], "/etc/docker", "root:root", "0755", "dir"),
    // The certificates, keys and CAs Docker uses for a registry: /etc/docker/certs.d/<host:port>/*.
    rule(["3.7", "3.8"], "/etc/docker/certs.d/*/*", "root:root", "0444", "glob"),
    rule(["3.9", "3.10"], `${DAEMON_TLS_DIRECTORY}/ca.pem`, "root:root", "0444", "file"),
    rule(["3.11", "3.12"], `${DAEMON_TLS_DIRECTORY}/server-cert.pem`, "root:root", "0444", "file"),
    rule(["3.13", "3.14"], `${DAEMON_TLS_DIRECTORY}/server-key.pem`, "root:root", "0400", "file", true),
    rule(["3.15", "3.16"], "/var/run/docker.sock", "root:docker", "0660", "socket"),
    rule(["3.17", "3.18"], "/etc/docker/daemon.json", "root:root", "0644", "file"),
    rule(["3.19", "3.20"], "/etc/default/docker", "root:root", "0644", "file"),
    rule(["3.21", "3.22"], "/etc/sysconfig/docker", "root:root", "0644", "file"),
    rule(["3.23", "3.24"], "/run/containerd/containerd.sock", "root:root", "0660", "socket"),
]);

/**
 * Secure defaults of the daemon-files step. Each is a decision; each says why.
 */
export const DAEMON_FILES_DEFAULTS = Object.freeze({
    /** No TCP socket by default (the Docker endpoint is SSH), so no TLS files are expected. */
    tls: false,
    /**
     * A drop-in on docker.socket restating the socket's owner and mode (CIS 3.15–3.16): systemd
     * creates /var/run/docker.sock from the unit at every start, and a packaged unit changed by an
     * upgrade, or an earlier drop-in, cannot loosen it. Named 50- so it sorts after vendor
     * drop-ins; a later local one still wins, and the script's check catches that.
     */
    socketDropIn: "/etc/systemd/system/docker.socket.d/50-hardened-docker.conf",
    /** The TLS files that must exist when the daemon uses TLS (`args.tls`). */
    tlsFiles: Object.freeze([
        `${DAEMON_TLS_DIRECTORY}/ca.pem`,
        `${DAEMON_TLS_DIRECTORY}/server-cert.pem`,
        `${DAEMON_TLS_DIRECTORY}/server-key.pem`,
    ]) as readonly string[],
});
