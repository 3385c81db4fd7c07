/** TLS for the connection to the log server (RFC 5425): the server proves its name with a certificate. */
export interface RemoteSyslogTls {
    /**
     * The CA certificate(s) that signed the server's certificate, PEM (`-----BEGIN CERTIFICATE-----`).
     * Public, not secret: installed at /etc/ssl/hardened-docker/syslog-ca.pem, 0644 root:root. A
     * private key here is refused.
     */
    caCertificate: string;
    /**
     * The name the server's certificate must carry (rsyslog's x509/name check), `logs.example.com`
     * or `*.example.com`.
     * @default `host`, when it is a DNS name (an IP address needs this set)
     */
    permittedPeer?: string;
}

/** The central log server (CIS 2.13). */
export interface RemoteSyslog {
    /** The server's DNS name or IP address; loopback and unspecified addresses are refused. */
    host: string;
    /**
     * The server's TCP port, 1 to 65535.
     * @default 6514 with `tls` (syslog over TLS), 514 without
     */
    port?: number;
    /**
     * Only `tcp`: a TCP sender knows when the server is gone and queues, where UDP drops messages
     * silently.
     * @default "tcp"
     */
    protocol?: "tcp";
    /** TLS to the server. Without it, messages cross the network in clear text. */
    tls?: RemoteSyslogTls;
}

/**
 * Every message rsyslog receives (the host's and, with the journald or syslog log driver, the
 * containers') also goes to a central log server over TCP (CIS 2.13), through a disk-assisted queue
 * that keeps messages through an outage of the server or the network.
 */
export interface LoggingArgs {
    /** The central log server. Required: there is no default server. */
    remote: RemoteSyslog;
    /**
     * Disk space the queue may fill while the server is unreachable, in MiB (16 to 1048576); when
     * it is full, the newest messages are dropped, never the host's disk.
     * @default 1024
     */
    queueMaxDiskSpaceMb?: number;
}
