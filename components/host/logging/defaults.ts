/**
 * Secure defaults of the logging step (CIS 2.13). Each is a decision; each says why.
 */
export const LOGGING_DEFAULTS = Object.freeze({
    /** TCP only: the sender sees a broken connection and queues; UDP loses messages without a trace. */
    protocol: "tcp" as const,
    /** The IANA port of syslog over TLS (RFC 5425). */
    tlsPort: 6514,
    /** The customary port of plain syslog over TCP. */
    plainPort: 514,
    /** A day or more of a busy host's messages, small next to the data volume. */
    queueMaxDiskSpaceMb: 1024,
    /** Where the CA certificate goes: readable by rsyslogd after it drops privileges (Ubuntu). */
    caPath: "/etc/ssl/hardened-docker/syslog-ca.pem",
    /** After Debian's own rules (50-default.conf on Ubuntu), so local logging is unchanged. */
    confPath: "/etc/rsyslog.d/60-hardened-docker.conf",
    /** rsyslog's work directory on Debian and Ubuntu, where the queue spills to disk. */
    spoolDirectory: "/var/spool/rsyslog",
});
