/** A path the CIS benchmark asks auditd to watch, with the control's id. */
export interface AuditCandidate {
    readonly id: string;
    readonly path: string;
}

function candidates(list: [id: string, path: string][]): readonly AuditCandidate[] {
    return Object.freeze(list.map(([id, path]) => Object.freeze({ id, path })));
}

/**
 * Secure defaults of the audit step. Each is a security decision; each says why.
 */
export const AUDIT_DEFAULTS = Object.freeze({
    /**
     * The busy parts of the data root: every container file write and volume write would otherwise
     * be an audit event, burying the ones that matter and filling the audit log. The benchmark's
     * newer versions exclude exactly these two.
     */
    dataRootExclusions: Object.freeze(["overlay2", "volumes"]) as readonly string[],
    /**
     * Every path CIS 1.1.3 to 1.1.18 names, at each place Debian, Ubuntu and Docker's own packages
     * put it: unit files under `/lib` and `/usr/lib` (and an administrator's copy or drop-ins under
     * `/etc/systemd/system`), runc under `/usr/bin` (Docker's packages) and `/usr/sbin` (Debian's).
     * The script watches each at its real path: those that exist, and those that do not exist yet
     * but whose directory does (auditd then sees the file when it appears: daemon.json and the
     * docker.socket drop-ins come later, from DockerDaemon, and an administrator's unit override
     * at any time). A path whose directory is absent (`/etc/sysconfig` on Debian) is skipped.
     * Docker's data root, when moved, is added from the host context under 1.1.5.
     */
    candidates: candidates([
        ["1.1.3", "/usr/bin/dockerd"],
        ["1.1.3", "/usr/sbin/dockerd"],
        ["1.1.4", "/run/containerd"],
        ["1.1.5", "/var/lib/docker"],
        ["1.1.6", "/etc/docker"],
        ["1.1.7", "/lib/systemd/system/docker.service"],
        ["1.1.7", "/usr/lib/systemd/system/docker.service"],
        ["1.1.7", "/etc/systemd/system/docker.service"],
        ["1.1.7", "/etc/systemd/system/docker.service.d"],
        ["1.1.8", "/run/containerd/containerd.sock"],
        ["1.1.9", "/lib/systemd/system/docker.socket"],
        ["1.1.9", "/usr/lib/systemd/system/docker.socket"],
        ["1.1.9", "/etc/systemd/system/docker.socket"],
        ["1.1.9", "/etc/systemd/system/docker.socket.d"],
        ["1.1.10", "/etc/default/docker"],
        ["1.1.11", "/etc/docker/daemon.json"],
        ["1.1.12", "/etc/containerd/config.toml"],
        ["1.1.13", "/etc/sysconfig/docker"],
        ["1.1.14", "/usr/bin/containerd"],
        ["1.1.15", "/usr/bin/containerd-shim"],
        ["1.1.16", "/usr/bin/containerd-shim-runc-v1"],
        ["1.1.17", "/usr/bin/containerd-shim-runc-v2"],
        ["1.1.18", "/usr/bin/runc"],
        ["1.1.18", "/usr/sbin/runc"],
    ]),
    /**
     * Every rule carries `-k docker`, the key the benchmark's own examples use, so `ausearch -k docker`
     * finds every Docker event; and `-k cis-docker-<id>`, so an event names the control it serves
     * (the `docker` prefix keeps it apart from the CIS Linux benchmark's ids).
     */
    key: "docker",
    /** Prefix of the per-control key. */
    controlKeyPrefix: "cis-docker-",
    /** Watch writes and attribute changes (`-p wa`): the benchmark's permission filter. */
    permissions: "wa",
});
