/**
 * Audit rules for Docker's files and directories (CIS Docker Benchmark v1.6.0 1.1.3 to 1.1.18).
 * The step installs auditd, and on the host writes `/etc/audit/rules.d/50-hardened-docker.rules`
 * with a watch for each candidate path that exists there (the candidate list is fixed; Docker's
 * data root comes from the host context), loads it with `augenrules` and checks with `auditctl -l`
 * that every rule is loaded.
 */
export interface AuditArgs {
    /**
     * Directories directly under Docker's data root (and under a user-namespace root such as
     * `100000.100000/`) that are not audited, because containers write there all the time: image
     * layers and container file systems (`overlay2`) and volume data (`volumes`). The rest of the
     * data root stays watched, including `containers/`, where a container's configuration lives
     * (CIS 1.1.5). Each name is one directory name; `[]` watches the whole data root.
     * @default ["overlay2", "volumes"]
     */
    dataRootExclusions?: string[];
}
