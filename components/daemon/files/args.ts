/**
 * The daemon-files step (CIS 3.1–3.24): Docker's unit files, configuration, certificates and
 * sockets are owned by root with the benchmark's modes (or stricter), and stay so through package
 * upgrades and restarts. Every rule applies to the paths that exist; the table is
 * `DAEMON_FILE_RULES`.
 */
export interface DaemonFilesArgs {
    /**
     * The daemon listens on TCP with TLS (CIS 2.7), so its CA certificate, server certificate and
     * key exist under /etc/docker/tls (`ca.pem`, `server-cert.pem`, `server-key.pem`, installed by
     * the daemon's configuration step, which runs first). With `true`, the step also claims CIS
     * 3.9–3.14 and fails, before changing anything, when one of the three is missing. With `false`,
     * TLS files left on the host are still held to root:root 0444 / 0400.
     * @default false
     */
    tls?: boolean;
}
