import { embedFile, prelude } from "../shell";
import type { HostContext, HostStep, RenderedFile } from "../step";
import { LOGGING_DEFAULTS } from "./defaults";
import type { LoggingPlan } from "./validate";

/** The last line of the script: tests run the script without it and call its functions instead. */
export const LOGGING_MAIN = "logging_main";

/** The rsyslog drop-in: one omfwd action with a disk-assisted queue, over TLS when configured. */
export function renderLoggingConfig(plan: LoggingPlan): string {
    const transport = plan.tls ? "TCP with TLS" : "TCP";
    const lines = [
        "# hardened-docker logging (CIS 2.13): every message rsyslog receives also goes to the central",
        `# log server over ${transport}, through a disk-assisted queue that keeps messages during an outage.`,
        "# Rendered by hardened-docker; edits on the host are overwritten.",
        "action(",
        '    type="omfwd"',
        '    name="hardened-docker-remote"',
        `    target="${plan.host}"`,
        `    port="${plan.port}"`,
        '    protocol="tcp"',
        '    template="RSYSLOG_SyslogProtocol23Format"',
    ];
    if (plan.tls) {
        lines.push(
            // RFC 5425 frames syslog over TLS by octet counting.
            '    TCP_Framing="octet-counted"',
            '    StreamDriver="gtls"',
            '    StreamDriverMode="1"',
            '    StreamDriverAuthMode="x509/name"',
            `    StreamDriverPermittedPeers="${plan.tls.permittedPeer}"`,
            `    streamDriver.CAFile="${LOGGING_DEFAULTS.caPath}"`,
        );
    }
    lines.push(
        '    queue.type="LinkedList"',
        '    queue.filename="hardened-docker-remote"',
        `    queue.spoolDirectory="${LOGGING_DEFAULTS.spoolDirectory}"`,
        `    queue.maxDiskSpace="${plan.queueMaxDiskSpaceMb}m"`,
        '    queue.saveOnShutdown="on"',
        '    action.resumeRetryCount="-1"',
        '    action.resumeInterval="30"',
        ")",
        "",
    );
    return lines.join("\n");
}

/** The files the step installs: the CA certificate first (TLS only), then the drop-in that uses it. */
export function loggingFiles(plan: LoggingPlan): RenderedFile[] {
    const files: RenderedFile[] = [];
    if (plan.tls) {
        files.push({ path: LOGGING_DEFAULTS.caPath, mode: "0644", owner: "root:root", content: plan.tls.caPem });
    }
    files.push({
        path: LOGGING_DEFAULTS.confPath,
        mode: "0644",
        owner: "root:root",
        content: renderLoggingConfig(plan),
    });
    return files;
}

const BODY = `
logging_systemd() { [ -d /run/systemd/system ]; }

# logging_validate: checks with rsyslogd -N1 the whole configuration rsyslogd would read with the
# new files: the main file, the other drop-ins as they are, ours as rendered (its CA path pointing
# at the candidate CA). Nothing is installed before this passes.
logging_validate() {
    local dir="$HD_TMP/candidate" f
    if ! grep -Eq '^[^#]*(IncludeConfig|include\\().*/etc/rsyslog\\.d/' "$logging_main_conf"; then
        hd_die "$logging_main_conf does not include /etc/rsyslog.d/*.conf: the forwarding rule would never be read"
    fi
    mkdir -p "$dir/rsyslog.d"
    for f in /etc/rsyslog.d/*.conf; do
        if [ -f "$f" ] && [ "$f" != "$logging_conf" ]; then
            cp "$f" "$dir/rsyslog.d/"
        fi
    done
    sed "s#$logging_ca#$HD_TMP/syslog-ca.pem#" "$HD_TMP/rsyslog.conf" >"$dir/rsyslog.d/\${logging_conf##*/}"
    sed "s#/etc/rsyslog\\.d/#$dir/rsyslog.d/#g" "$logging_main_conf" >"$dir/rsyslog.conf"
    if ! rsyslogd -N1 -f "$dir/rsyslog.conf" >"$HD_TMP/rsyslogd.log" 2>&1; then
        hd_die "rsyslogd -N1 rejects the configuration with $logging_conf; nothing was installed: $(grep -v 'config validation run' "$HD_TMP/rsyslogd.log" | tr '\\n' ' ')"
    fi
}

# logging_service: rsyslog enabled and running; restarted when its configuration changed.
logging_service() {
    local changed=$1
    if ! logging_systemd; then
        if [ "$changed" = 1 ]; then
            hd_log "warning: no systemd: restart rsyslog yourself to forward to the log server"
        fi
        return 0
    fi
    if ! systemctl is-enabled --quiet rsyslog.service; then
        systemctl enable --quiet rsyslog.service
        hd_log "changed: enabled rsyslog.service"
    fi
    if ! systemctl is-active --quiet rsyslog.service; then
        systemctl start rsyslog.service
        hd_log "changed: started rsyslog.service"
    elif [ "$changed" = 1 ]; then
        systemctl restart rsyslog.service
        hd_log "changed: restarted rsyslog.service"
    fi
}
`;

/**
 * The logging step (CIS 2.13): rsyslog forwards every message to the central log server over TCP
 * (and TLS when configured) with a disk-assisted queue. Not secret: a CA certificate is public.
 */
export function renderLogging(plan: LoggingPlan, _ctx: HostContext): HostStep {
    const files = loggingFiles(plan);
    const conf = files[files.length - 1];
    const values = [
        "# Rendered values.",
        `logging_conf=${LOGGING_DEFAULTS.confPath}`,
        `logging_ca=${LOGGING_DEFAULTS.caPath}`,
        "logging_main_conf=/etc/rsyslog.conf",
        `logging_spool=${LOGGING_DEFAULTS.spoolDirectory}`,
        `logging_packages=(${plan.tls ? "rsyslog rsyslog-gnutls" : "rsyslog"})`,
    ].join("\n");
    const embed = plan.tls
        ? [embedFile("syslog-ca.pem", plan.tls.caPem), embedFile("rsyslog.conf", conf.content)]
        : [embedFile("rsyslog.conf", conf.content)];
    // The CA first: the drop-in that names it is never installed without it.
    const install = files.map(
        (f) =>
            `    if hd_install_file "$HD_TMP/${f === conf ? "rsyslog.conf" : "syslog-ca.pem"}" ${f.path} ${f.mode} ${f.owner}; then changed=1; fi`,
    );
    const main = [
        `${LOGGING_MAIN}() {`,
        "    local changed=0",
        '    hd_apt_install "${logging_packages[@]}"',
        ...embed,
        "    logging_validate",
        '    if [ ! -d "$logging_spool" ]; then',
        '        install -d -m 0700 "$logging_spool"',
        "    fi",
        ...install,
        ...(plan.tls
            ? []
            : [
                  "    # No TLS: a CA certificate from an earlier TLS configuration is no longer used.",
                  '    if [ -e "$logging_ca" ]; then',
                  '        rm -f "$logging_ca"',
                  '        hd_log "changed: removed $logging_ca"',
                  "    fi",
              ]),
        '    logging_service "$changed"',
        "}",
    ].join("\n");
    return {
        id: "logging",
        title: `Logs go to ${plan.host}:${plan.port} over ${plan.tls ? "TCP with TLS" : "TCP"}`,
        cis: ["2.13"],
        script: `${prelude("logging")}\n${[values, BODY, main, LOGGING_MAIN].map((p) => p.trim()).join("\n\n")}\n`,
        files,
        // A CA certificate is public; nothing secret is embedded.
        secret: false,
    };
}
