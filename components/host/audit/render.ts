import { embedFile, prelude } from "../shell";
import type { HostContext, HostStep, RenderedFile } from "../step";
import { AUDIT_DEFAULTS } from "./defaults";
import type { AuditPlan } from "./validate";

/** The rules file the script writes on the host (its content depends on the paths that exist there). */
export const AUDIT_RULES_PATH = "/etc/audit/rules.d/50-hardened-docker.rules";

/**
 * Makes /run/containerd exist at boot before auditd loads the rules (auditd.service runs after
 * systemd-tmpfiles-setup.service, long before containerd starts). A watch needs its parent
 * directory to exist, and auditctl stops at the first rule that fails: without this, the watch on
 * containerd.sock fails at every boot and every rule after it is never loaded.
 */
export const AUDIT_TMPFILES_PATH = "/etc/tmpfiles.d/hardened-docker-audit.conf";

/** The tmpfiles.d file: containerd's state directory, with the mode containerd gives it. */
export function renderAuditTmpfiles(): string {
    return [
        "# hardened-docker: containerd's state directory exists from early boot, so the audit watch on",
        "# /run/containerd/containerd.sock loads before containerd starts (CIS Docker Benchmark 1.1.4, 1.1.8).",
        "d /run/containerd 0711 root root -",
        "",
    ].join("\n");
}

/** The last line of the script: tests run the script without it and call its functions instead. */
export const AUDIT_MAIN = "audit_main";

/**
 * The rules' refresher, installed by the step and run by docker.service after every start of
 * dockerd: userns-remap gives dockerd a root of its own under the data root (`165536.165536/`)
 * when it first starts with it, after this step ran, and that root's busy directories must be
 * excluded like the data root's.
 */
export const AUDIT_REFRESH_PATH = "/usr/local/sbin/hardened-docker-audit-rules";

/** The docker.service drop-in that runs the refresher after dockerd starts. */
export const AUDIT_DROPIN_PATH = "/etc/systemd/system/docker.service.d/20-hardened-docker-audit.conf";

/** The drop-in; `-`: a failed refresh never fails dockerd's start. */
export function renderAuditDropIn(): string {
    return [
        "# hardened-docker audit (CIS 1.1.3 to 1.1.18): after every start of dockerd, the audit rules are",
        "# regenerated for the data root as it is now (userns-remap makes a root of its own there) and",
        "# loaded when they changed. Rendered by hardened-docker; edits are overwritten.",
        "[Service]",
        `ExecStartPost=-${AUDIT_REFRESH_PATH}`,
        "",
    ].join("\n");
}

/** The CIS ids the step serves, 1.1.3 to 1.1.18. */
export const AUDIT_CIS = Array.from({ length: 16 }, (_, i) => `1.1.${i + 3}`);

/** The candidate list the script carries: one `<CIS id> <path>` per line, in benchmark order. */
export function renderAuditCandidates(plan: AuditPlan): string {
    return [
        "# CIS Docker Benchmark v1.6.0 id, then a path its control asks auditd to watch.",
        ...plan.candidates.map((c) => `${c.id} ${c.path}`),
        "",
    ].join("\n");
}

const CANDIDATES = "audit-candidates.txt";
const TMPFILES = "hardened-docker-audit.conf";
const RULES = "50-hardened-docker.rules";
const REFRESHER = "hardened-docker-audit-rules";
const DROPIN = "20-hardened-docker-audit.conf";

const BODY = `
# audit_path_ok PATH: PATH can stand in an audit rule (no spaces or shell-special characters).
audit_path_ok() {
    [[ $1 =~ ^/[A-Za-z0-9_./+@:-]*$ ]]
}

# audit_generate CANDIDATES OUT: writes to OUT the rules for the candidates that exist on this host,
# or whose directory does (auditd watches a file that appears later, such as daemon.json). Each path
# is watched at its real path (a watch on a symlink sees the link, not the file), once,
# keyed with every CIS id it serves. Before the watches, the busy directories of each data root
# (1.1.5) are excluded: the kernel applies the first exit rule that matches.
audit_generate() {
    local id path real root sub dir rel key
    local -a order=() roots=() never=() found ids
    local -A seen=()
    while read -r id path; do
        case "$id" in "" | "#"*) continue ;; esac
        if [ -e "$AUDIT_ROOT$path" ]; then
            real=$(readlink -f -- "$AUDIT_ROOT$path")
        elif [ -d "$AUDIT_ROOT\${path%/*}" ]; then
            # Not here yet, but its directory is: auditd watches for it to appear.
            real=$(readlink -f -- "$AUDIT_ROOT\${path%/*}")/\${path##*/}
        else
            hd_log "skipped: $path (CIS $id): neither it nor its directory is on this host"
            continue
        fi
        real=\${real#"$AUDIT_ROOT"}
        audit_path_ok "$real" || hd_die "$path resolves to $real, which an audit rule cannot hold"
        if [ -z "\${seen[$real]:-}" ]; then
            order+=("$real")
            seen[$real]=$id
        elif [[ " \${seen[$real]} " != *" $id "* ]]; then
            seen[$real]+=" $id"
        fi
        if [ "$id" = 1.1.5 ] && [[ " \${roots[*]} " != *" $real "* ]]; then
            roots+=("$real")
        fi
    done <"$1"
    for root in "\${roots[@]}"; do
        for sub in "\${AUDIT_EXCLUDE[@]}"; do
            # The data root itself, and the per-mapping roots that userns-remap makes (100000.100000/).
            found=("$AUDIT_ROOT$root/$sub" "$AUDIT_ROOT$root"/*/"$sub")
            for dir in "\${found[@]}"; do
                dir=\${dir#"$AUDIT_ROOT"}
                rel=\${dir#"$root"/}
                if { [ "$rel" = "$sub" ] || [[ $rel =~ ^[0-9]+\\.[0-9]+/ ]]; } && [ -d "$AUDIT_ROOT$dir" ] && audit_path_ok "$dir"; then
                    never+=("$dir")
                fi
            done
        done
    done
    {
        printf '%s\\n' \\
            "## hardened-docker: audit rules of the Docker host (CIS Docker Benchmark v1.6.0 1.1.3 to 1.1.18)." \\
            "## Generated on this host for the paths that exist here, or whose directory does; edits are overwritten."
        if [ "\${#never[@]}" -gt 0 ]; then
            printf '%s\\n' "## Not audited: directories of the data root that containers write to all the time."
            printf -- '-a never,exit -S all -F dir=%s\\n' "\${never[@]}"
        fi
        for real in "\${order[@]}"; do
            read -ra ids <<<"\${seen[$real]}"
            key=""
            for id in "\${ids[@]}"; do
                key+=" -k ${AUDIT_DEFAULTS.controlKeyPrefix}$id"
            done
            printf '## CIS %s\\n' "\${ids[*]}"
            printf -- '-w %s -p ${AUDIT_DEFAULTS.permissions} -k ${AUDIT_DEFAULTS.key}%s\\n' "$real" "$key"
        done
    } >"$2"
}

# audit_verify RULES: every rule of RULES is loaded, as auditctl -l prints it (the rules are
# generated in that form). Names each rule that is not.
audit_verify() {
    local rule loaded bad=0
    local -A have=()
    loaded=$(auditctl -l) || return 1
    while IFS= read -r rule; do
        [ -z "$rule" ] || have[$rule]=1
    done <<<"$loaded"
    while IFS= read -r rule; do
        case "$rule" in "" | "#"*) continue ;; esac
        if [ -z "\${have[$rule]:-}" ]; then
            printf 'hardened-docker[%s]: not loaded: %s\\n' "$HD_STEP" "$rule" >&2
            bad=1
        fi
    done <"$1"
    return "$bad"
}

# audit_enabled: the kernel's audit state: 0 off, 1 on, 2 on and locked until the next boot.
audit_enabled() {
    local key value
    while read -r key value _; do
        if [ "$key" = enabled ]; then
            printf '%s' "$value"
            return 0
        fi
    done < <(auditctl -s)
}

# audit_load PREVIOUS: loads the installed rules with augenrules and checks them. auditd 3.0.9 cannot
# check a rule without loading it, so when loading fails the previous rules file (PREVIOUS, or none
# when empty) is put back and loaded again.
audit_load() {
    local out
    if [ "$(audit_enabled)" = 2 ]; then
        hd_die "the kernel's audit rules are locked (-e 2) until the next boot, which loads $AUDIT_RULES: reboot, then run this step again"
    fi
    out=$(augenrules --check 2>&1) || true
    hd_log "augenrules --check: $out"
    if augenrules --load >"$HD_TMP/augenrules.out" 2>&1 && audit_verify "$AUDIT_RULES"; then
        hd_log "changed: loaded $AUDIT_RULES"
        return 0
    fi
    cat "$HD_TMP/augenrules.out" >&2
    if [ -n "$1" ]; then
        cp -p "$1" "$AUDIT_RULES"
    else
        rm -f "$AUDIT_RULES"
    fi
    augenrules --load >/dev/null 2>&1 || true
    hd_die "augenrules could not load $AUDIT_RULES; the previous rules are back in place"
}

# audit_service: auditd enabled and running where systemd runs (it writes the events to disk).
audit_service() {
    if [ ! -d "$AUDIT_SYSTEMD" ]; then
        hd_log "skipped: auditd.service (systemd is not running here)"
        return 0
    fi
    if ! systemctl is-enabled --quiet auditd.service; then
        systemctl enable --quiet auditd.service
        hd_log "changed: enabled auditd.service"
    fi
    if ! systemctl is-active --quiet auditd.service; then
        systemctl start auditd.service
        hd_log "changed: started auditd.service"
    fi
    systemctl is-active --quiet auditd.service || hd_die "auditd.service is not running (is audit=0 on the kernel command line?)"
}

# audit_tmpfiles: installs the tmpfiles.d file, after systemd-tmpfiles has applied it to a scratch
# root (where systemd is installed): a line it rejects would never reach the boot configuration.
audit_tmpfiles() {
    if command -v systemd-tmpfiles >/dev/null; then
        mkdir -p "$HD_TMP/tmpfiles-root"
        systemd-tmpfiles --create --root="$HD_TMP/tmpfiles-root" "$HD_TMP/${TMPFILES}" ||
            hd_die "systemd-tmpfiles rejects $AUDIT_TMPFILES; the previous one is left in place"
    fi
    hd_install_file "$HD_TMP/${TMPFILES}" "$AUDIT_TMPFILES" 0644 root:root || true
}

# audit_refresh: the rules for the host as it is now, installed and loaded when they changed, or
# loaded again when some are not loaded. The step runs it, and so does the installed refresher.
audit_refresh() {
    local previous=""
    audit_generate "$HD_TMP/${CANDIDATES}" "$HD_TMP/${RULES}"
    if [ -f "$AUDIT_RULES" ]; then
        cp -p "$AUDIT_RULES" "$HD_TMP/previous.rules"
        previous="$HD_TMP/previous.rules"
    fi
    if hd_install_file "$HD_TMP/${RULES}" "$AUDIT_RULES" 0640 root:root; then
        audit_load "$previous"
    elif ! audit_verify "$AUDIT_RULES" 2>/dev/null; then
        hd_log "the rules in $AUDIT_RULES are not all loaded: loading them again"
        audit_load "$previous"
    fi
}

# audit_refresher: the refresher and the docker.service drop-in that runs it after dockerd starts.
audit_refresher() {
    local changed=0
    if hd_install_file "$HD_TMP/${REFRESHER}" "$AUDIT_REFRESH" 0755 root:root; then changed=1; fi
    if hd_install_file "$HD_TMP/${DROPIN}" "$AUDIT_DROPIN" 0644 root:root; then changed=1; fi
    if [ "$changed" = 1 ] && [ -d "$AUDIT_SYSTEMD" ]; then
        systemctl daemon-reload
    fi
}

audit_main() {
    hd_apt_install auditd
    audit_tmpfiles
    audit_service
    audit_refresher
    audit_refresh
}
`;

/**
 * The audit step: install auditd, generate the rules for the Docker paths that exist on the host,
 * load them and check that each is loaded (CIS 1.1.3 to 1.1.18). `files` holds the tmpfiles.d file;
 * the rules file is not there: its content is known only on the host, and the candidate list it
 * is made from is rendered instead.
 */
export function renderAudit(plan: AuditPlan, _ctx: HostContext): HostStep {
    const tmpfiles: RenderedFile = {
        path: AUDIT_TMPFILES_PATH,
        mode: "0644",
        owner: "root:root",
        content: renderAuditTmpfiles(),
    };
    const head = [
        "# Where the host's files are looked up and written; tests point these at a fake tree.",
        'AUDIT_ROOT=""',
        `AUDIT_RULES=${AUDIT_RULES_PATH}`,
        `AUDIT_TMPFILES=${AUDIT_TMPFILES_PATH}`,
        `AUDIT_REFRESH=${AUDIT_REFRESH_PATH}`,
        `AUDIT_DROPIN=${AUDIT_DROPIN_PATH}`,
        "AUDIT_SYSTEMD=/run/systemd/system",
        `AUDIT_EXCLUDE=(${plan.dataRootExclusions.join(" ")})`,
        "",
    ];
    // The refresher: the same functions and candidates, ending in audit_refresh.
    const refresher = [
        prelude("audit"),
        ...head,
        embedFile(CANDIDATES, renderAuditCandidates(plan)),
        BODY,
        "audit_refresh",
        "",
    ].join("\n");
    const script = [
        prelude("audit"),
        ...head,
        embedFile(TMPFILES, tmpfiles.content),
        embedFile(CANDIDATES, renderAuditCandidates(plan)),
        embedFile(REFRESHER, refresher),
        embedFile(DROPIN, renderAuditDropIn()),
        BODY,
        AUDIT_MAIN,
        "",
    ].join("\n");
    return {
        id: "audit",
        title: "auditd watches Docker's binaries, configuration, sockets and data root, and the rules are loaded",
        cis: [...AUDIT_CIS],
        script,
        files: [
            tmpfiles,
            { path: AUDIT_REFRESH_PATH, mode: "0755", owner: "root:root", content: refresher },
            { path: AUDIT_DROPIN_PATH, mode: "0644", owner: "root:root", content: renderAuditDropIn() },
        ],
        secret: false,
    };
}
