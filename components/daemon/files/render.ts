import { embedFile, prelude } from "../../host/shell";
import type { HostContext, HostStep, RenderedFile } from "../../host/step";
import { DAEMON_FILES_DEFAULTS, DAEMON_FILE_RULES, type DaemonFileRule } from "./defaults";
import type { DaemonFilesPlan } from "./validate";

/** The last line of the script: tests run the script without it and call its functions instead. */
export const DAEMON_FILES_MAIN = "daemon_files_main";

/** The rule of Docker's API socket (CIS 3.15–3.16), which the docker.socket drop-in restates. */
function dockerSocketRule(): DaemonFileRule {
    const r = DAEMON_FILE_RULES.find((x) => x.path === "/var/run/docker.sock");
    if (r === undefined) {
        throw new Error("DAEMON_FILE_RULES has no rule for /var/run/docker.sock");
    }
    return r;
}

/** The docker.socket drop-in: the socket's owner and mode at every start of the unit. */
export function renderSocketDropIn(): string {
    const r = dockerSocketRule();
    const [user, group] = r.owner.split(":");
    return [
        `# hardened-docker daemon-files (CIS ${r.cis.join(", ")}): systemd creates Docker's API socket`,
        `# ${r.owner}, mode ${r.mode}, whatever the packaged docker.socket says after an upgrade.`,
        "# Rendered by hardened-docker; edits on the host are overwritten.",
        "[Socket]",
        `SocketMode=${r.mode}`,
        `SocketUser=${user}`,
        `SocketGroup=${group}`,
        "",
    ].join("\n");
}

/** The files the step installs: the docker.socket drop-in. */
export function daemonFilesFiles(): RenderedFile[] {
    return [
        { path: DAEMON_FILES_DEFAULTS.socketDropIn, mode: "0644", owner: "root:root", content: renderSocketDropIn() },
    ];
}

/** The CIS ids the step sets: all of section 3, less the TLS files' when the daemon has no TLS. */
export function daemonFilesCis(plan: DaemonFilesPlan): string[] {
    const tlsOnly = new Set(DAEMON_FILES_DEFAULTS.tlsFiles);
    const ids = new Set(DAEMON_FILE_RULES.filter((r) => plan.tls || !tlsOnly.has(r.path)).flatMap((r) => r.cis));
    return [...ids].sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]));
}

/** One rule as the script reads it: kind, path, owner, mode, exact (1) or not (0), the CIS ids. */
function ruleLine(r: DaemonFileRule): string {
    return `    "${r.kind} ${r.path} ${r.owner} ${r.mode} ${r.exact ? 1 : 0} ${r.cis.join(",")}"`;
}

const BODY = `
daemon_files_bad=()

daemon_files_systemd() { [ -d /run/systemd/system ]; }

# daemon_files_mode WANT CUR EXACT: the mode (four octal digits) a path whose mode is CUR must
# have. CUR itself when it is WANT or stricter, that is when it has no bit outside WANT (0600 for
# 0644, 0400 for 0444); otherwise CUR without the bits outside WANT (0664 -> 0644, 0620 -> 0600),
# so a fix never adds a permission. With EXACT=1, WANT itself (CIS 3.14: 0400, not "or stricter").
daemon_files_mode() {
    if [ "$3" = 1 ]; then
        printf '%04o\\n' "$((8#$1))"
    else
        printf '%04o\\n' "$((8#$1 & 8#$2))"
    fi
}

# daemon_files_complies WANT_OWNER WANT_MODE EXACT OWNER MODE: true when OWNER and MODE satisfy the rule.
daemon_files_complies() {
    [ "$4" = "$1" ] && [ "$(daemon_files_mode "$2" "$5" "$3")" = "$(printf '%04o' "$((8#$5))")" ]
}

# daemon_files_paths KIND PATTERN: the existing paths a rule covers, one a line. A glob covers the
# regular files it matches (not the directories) and any symbolic link, which the check refuses;
# a masked unit (a link to /dev/null) has no file to check.
daemon_files_paths() {
    local kind=$1 pattern=$2 p
    local -a found=()
    if [ "$kind" = glob ]; then
        mapfile -t found < <(compgen -G "$pattern" | sort || true)
    elif [ -e "$pattern" ] || [ -L "$pattern" ]; then
        found=("$pattern")
    fi
    for p in "\${found[@]}"; do
        if [ -L "$p" ] && [ "$(readlink "$p")" = /dev/null ]; then
            continue
        fi
        if [ "$kind" != glob ] || [ -f "$p" ] || [ -L "$p" ]; then
            printf '%s\\n' "$p"
        fi
    done
}

# daemon_files_each FUNCTION: calls FUNCTION KIND PATH OWNER MODE EXACT CIS for every existing path
# of every rule, in the table's order. The paths come on fd 3, so FUNCTION's commands keep stdin.
daemon_files_each() {
    local rule kind pattern owner mode exact cis p
    for rule in "\${DAEMON_FILES_RULES[@]}"; do
        read -r kind pattern owner mode exact cis <<<"$rule"
        while IFS= read -r p <&3; do
            "$1" "$kind" "$p" "$owner" "$mode" "$exact" "$cis"
        done 3< <(daemon_files_paths "$kind" "$pattern")
    done
}

# daemon_files_check_path KIND PATH OWNER MODE EXACT CIS: the path is what its rule expects, and no
# symbolic link, which chown and chmod would follow to some other file.
daemon_files_check_path() {
    local kind=$1 p=$2 cis=\${6/,/, } what
    if [ -L "$p" ]; then
        hd_die "$p is a symbolic link to $(readlink "$p"): put the file itself there (CIS $cis); nothing was changed"
    fi
    case $kind in
        dir) what="a directory" ;;
        socket) what="a socket" ;;
        *) what="a regular file" ;;
    esac
    if { [ "$kind" = dir ] && [ ! -d "$p" ]; } || { [ "$kind" = socket ] && [ ! -S "$p" ]; } ||
        { [ "$kind" = file ] && [ ! -f "$p" ]; }; then
        hd_die "$p is not $what (CIS $cis); nothing was changed"
    fi
}

# daemon_files_containerd: containerd creates its socket at every start with mode 0660, owned by
# the uid and gid of its [grpc] section (0 and 0 unless configured), so it keeps CIS 3.23-3.24 by
# itself and needs no drop-in; a uid or gid configured otherwise would undo the fix at its next
# start, and is refused.
daemon_files_containerd() {
    local ids
    command -v containerd >/dev/null || return 0
    if ! containerd config dump >"$HD_TMP/containerd.toml" 2>"$HD_TMP/containerd.err"; then
        hd_die "containerd config dump fails, so the owner of containerd's socket is unknown: $(tr '\\n' ' ' <"$HD_TMP/containerd.err")"
    fi
    ids=$(sed -n '/^\\[grpc\\]$/,/^\\[/s/^ *\\([ug]id\\) = \\([0-9]*\\)$/\\1=\\2/p' "$HD_TMP/containerd.toml" | sort | paste -sd ' ' -)
    if [ "$ids" != "gid=0 uid=0" ]; then
        hd_die "containerd's [grpc] section sets \${ids:-no uid and gid}, so containerd would make its socket owned by another user or group at its next start: remove uid and gid from [grpc] in /etc/containerd/config.toml (CIS 3.23); nothing was changed"
    fi
}

# daemon_files_packaged PATH: true when a package installed PATH, by this name, and dpkg can keep
# an override for it.
daemon_files_packaged() {
    command -v dpkg-statoverride >/dev/null && dpkg -S "$1" >/dev/null 2>&1
}

# daemon_files_override PATH OWNER MODE EXACT: for a file a package installed, a dpkg stat override
# with the owner and mode the file has now (compliant, and maybe stricter than the rule), which
# dpkg applies again at every upgrade of the package. A complying override is kept; any other is
# replaced.
daemon_files_override() {
    local p=$1 owner=$2 line user group omode mode
    daemon_files_packaged "$p" || return 0
    if line=$(dpkg-statoverride --list "$p"); then
        read -r user group omode _ <<<"$line"
        if daemon_files_complies "$owner" "$3" "$4" "$user:$group" "$omode"; then
            return 0
        fi
        dpkg-statoverride --remove "$p"
        hd_log "changed: removed dpkg's stat override \\"$line\\""
    fi
    mode=$(printf '%04o' "$((8#$(stat -c '%a' "$p")))")
    dpkg-statoverride --update --add "\${owner%%:*}" "\${owner#*:}" "$mode" "$p"
    hd_log "changed: dpkg's stat override \\"\${owner%%:*} \${owner#*:} $mode $p\\" keeps it through upgrades"
}

# daemon_files_fix KIND PATH OWNER MODE EXACT CIS: the owner, then the mode, each changed only when
# wrong; then, for a packaged file, its stat override.
daemon_files_fix() {
    local p=$2 owner=$3 mode=$4 exact=$5 cis=$6 cur want
    cur=$(stat -c '%U:%G' "$p")
    if [ "$cur" != "$owner" ]; then
        chown "$owner" "$p"
        hd_log "changed: $p owner $cur -> $owner (CIS \${cis%,*})"
    fi
    # Read after chown, which clears a file's set-id bits.
    cur=$(stat -c '%a' "$p")
    want=$(daemon_files_mode "$mode" "$cur" "$exact")
    if [ "$((8#$want))" != "$((8#$cur))" ]; then
        # Five digits: with four, GNU chmod keeps a directory's set-id bits.
        chmod "0$want" "$p"
        hd_log "changed: $p mode $(printf '%04o' "$((8#$cur))") -> $want (CIS \${cis#*,})"
    fi
    if [ "$1" = file ] || [ "$1" = dir ]; then
        daemon_files_override "$p" "$owner" "$mode" "$exact"
    fi
}

# daemon_files_verify_path KIND PATH OWNER MODE EXACT CIS: records the path if it is not as its
# rule says, read again from the disk, or if it is a packaged file without a complying override.
daemon_files_verify_path() {
    local p=$2 owner=$3 mode=$4 exact=$5 cis=\${6/,/, } got line user group omode expected
    expected="$owner $mode"
    if [ "$exact" = 0 ]; then
        expected+=" or stricter"
    fi
    got=$(stat -c '%U:%G %a' "$p")
    if ! daemon_files_complies "$owner" "$mode" "$exact" "\${got% *}" "\${got#* }"; then
        daemon_files_bad+=("$p is $got, expected $expected (CIS $cis)")
    fi
    if { [ "$1" = file ] || [ "$1" = dir ]; } && daemon_files_packaged "$p"; then
        line=$(dpkg-statoverride --list "$p") || line=""
        read -r user group omode _ <<<"$line"
        if [ -z "$line" ] || ! daemon_files_complies "$owner" "$mode" "$exact" "$user:$group" "$omode"; then
            daemon_files_bad+=("dpkg's stat override for $p is \\"\${line:-none}\\", expected $expected (CIS $cis)")
        fi
    fi
}

# daemon_files_verify_socket_unit: what systemd will create the socket with at docker.socket's
# next start, all drop-ins merged: a drop-in sorting after ours could loosen it.
daemon_files_verify_socket_unit() {
    local user group mode
    daemon_files_systemd || return 0
    [ "$(systemctl show --value -p LoadState docker.socket)" = loaded ] || return 0
    user=$(systemctl show --value -p SocketUser docker.socket)
    group=$(systemctl show --value -p SocketGroup docker.socket)
    mode=$(systemctl show --value -p SocketMode docker.socket)
    if ! daemon_files_complies "$DAEMON_FILES_SOCKET_OWNER" "$DAEMON_FILES_SOCKET_MODE" 0 "$user:$group" "$mode"; then
        daemon_files_bad+=("docker.socket creates the socket $user:$group $mode, expected $DAEMON_FILES_SOCKET_OWNER $DAEMON_FILES_SOCKET_MODE or stricter (CIS 3.15, 3.16): a drop-in sorting after $DAEMON_FILES_DROPIN overrides it")
    fi
}
`;

/**
 * The daemon-files step (CIS 3.1–3.24): every path of `DAEMON_FILE_RULES` that exists gets its
 * owner and a mode no looser than the rule's, never a looser one than it had; the packaged files
 * get dpkg stat overrides, so an upgrade of the package keeps them; docker.socket gets a drop-in
 * with the socket's owner and mode, and the live socket is fixed in place, so nothing restarts.
 */
export function renderDaemonFiles(plan: DaemonFilesPlan, _ctx: HostContext): HostStep {
    const files = daemonFilesFiles();
    const socket = dockerSocketRule();
    const values = [
        "# Rendered values. A rule: kind, path or pattern, owner, mode, 1 when the mode is exact (else",
        "# this mode or stricter), the CIS ids of the owner and of the mode.",
        "DAEMON_FILES_RULES=(",
        ...DAEMON_FILE_RULES.map(ruleLine),
        ")",
        "# The files that must exist: the daemon uses TLS (tls).",
        `DAEMON_FILES_REQUIRED=(${plan.tls ? DAEMON_FILES_DEFAULTS.tlsFiles.join(" ") : ""})`,
        `DAEMON_FILES_DROPIN=${files[0].path}`,
        `DAEMON_FILES_SOCKET_OWNER=${socket.owner}`,
        `DAEMON_FILES_SOCKET_MODE=${socket.mode}`,
    ].join("\n");
    const main = [
        `${DAEMON_FILES_MAIN}() {`,
        "    local p changed=0",
        "    # Everything is checked before anything changes.",
        '    getent group "${DAEMON_FILES_SOCKET_OWNER#*:}" >/dev/null ||',
        '        hd_die "the docker group does not exist, and /var/run/docker.sock is $DAEMON_FILES_SOCKET_OWNER (CIS 3.15): the HardenedHost docker-group step creates it; nothing was changed"',
        '    for p in "${DAEMON_FILES_REQUIRED[@]}"; do',
        '        [ -e "$p" ] || hd_die "$p does not exist, but the daemon uses TLS (tls: true): the daemon\'s configuration step installs it (CIS 3.9-3.14); nothing was changed"',
        "    done",
        "    daemon_files_each daemon_files_check_path",
        "    daemon_files_containerd",
        embedFile("docker-socket.conf", files[0].content),
        `    if hd_install_file "$HD_TMP/docker-socket.conf" ${files[0].path} ${files[0].mode} ${files[0].owner}; then changed=1; fi`,
        '    if [ "$changed" = 1 ] && daemon_files_systemd; then',
        "        # Read at docker.socket's next start; the live socket is fixed below with chmod and chown,",
        "        # so nothing restarts.",
        "        systemctl daemon-reload",
        '        hd_log "changed: reloaded systemd\'s units for $DAEMON_FILES_DROPIN"',
        "    fi",
        "    daemon_files_each daemon_files_fix",
        "    daemon_files_each daemon_files_verify_path",
        "    daemon_files_verify_socket_unit",
        '    if [ "${#daemon_files_bad[@]}" -gt 0 ]; then',
        "        p=$(printf '%s; ' \"${daemon_files_bad[@]}\")",
        '        hd_die "not as CIS section 3 expects: ${p%; }"',
        "    fi",
        "}",
    ].join("\n");
    return {
        id: "daemon-files",
        title: "Docker's files and sockets have the owners and modes of CIS section 3 or stricter, kept through package upgrades",
        cis: daemonFilesCis(plan),
        script: `${prelude("daemon-files")}\n${[values, BODY, main, DAEMON_FILES_MAIN].map((p) => p.trim()).join("\n\n")}\n`,
        files,
        // Paths, owners and modes only.
        secret: false,
    };
}
