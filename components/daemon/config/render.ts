import { embedFile, prelude } from "../../host/shell";
import type { HostContext, HostStep, RenderedFile } from "../../host/step";
import { DAEMON_CONFIG_DEFAULTS } from "./defaults";
import { type DaemonConfigPlan, sortKeys } from "./validate";

/** The last line of the script: tests run the script without it and call its functions instead. */
export const DAEMON_CONFIG_MAIN = "daemon_config_main";

/** The step's id: the command's name is `<host>-daemon-config`. */
export const DAEMON_CONFIG_STEP = "daemon-config";

/** Where the drop-in names the host's dockerd (`/usr/sbin/dockerd` from docker.io, `/usr/bin/dockerd` from docker-ce). */
export const DOCKERD_PLACEHOLDER = "@DOCKERD@";

const P = DAEMON_CONFIG_DEFAULTS.paths;

/** daemon.json: keys sorted at every depth, two-space indents, a trailing newline. */
export function renderDaemonJson(plan: DaemonConfigPlan): string {
    return `${JSON.stringify(sortKeys(plan.settings), null, 2)}\n`;
}

/**
 * The docker.service drop-in: dockerd without `-H fd://` (daemon.json's `hosts` says it, and
 * dockerd refuses a setting given both as a flag and in the file) and without `$DOCKER_OPTS`, so
 * daemon.json is the daemon's whole configuration. `dockerd` is the packaged unit's binary, found
 * on the host; the template has {@link DOCKERD_PLACEHOLDER} in its place.
 */
export function renderDaemonDropIn(dockerd: string = DOCKERD_PLACEHOLDER): string {
    return [
        "# hardened-docker daemon-config: dockerd takes its whole configuration from /etc/docker/daemon.json,",
        '# whose "hosts" replaces -H fd:// (a setting given both ways stops dockerd); DOCKER_OPTS no longer applies.',
        "# Rendered by hardened-docker; edits on the host are overwritten.",
        "[Service]",
        "ExecStart=",
        `ExecStart=${dockerd} --containerd=${DAEMON_CONFIG_DEFAULTS.containerdSocket}`,
        "",
    ].join("\n");
}

/** A file the script installs: the name it has in $HD_TMP, and where it goes. */
interface Staged {
    name: string;
    path: string;
    mode: string;
    /** Installed but not listed among the step's files: secret, or known only on the host. */
    unlisted?: "secret" | "host";
    content: string;
}

function staged(plan: DaemonConfigPlan): Staged[] {
    const files: Staged[] = [];
    if (plan.tls) {
        files.push(
            { name: "ca.pem", path: P.tlsCa, mode: "0444", content: plan.tls.caPem },
            { name: "server-cert.pem", path: P.tlsCert, mode: "0444", content: plan.tls.certPem },
            { name: "server-key.pem", path: P.tlsKey, mode: "0400", content: plan.tls.keyPem, unlisted: "secret" },
        );
    }
    if (plan.seccompProfile !== undefined) {
        files.push({ name: "seccomp.json", path: P.seccompProfile, mode: "0644", content: plan.seccompProfile });
    }
    files.push(
        { name: "daemon.json", path: P.daemonJson, mode: "0644", content: renderDaemonJson(plan) },
        { name: "docker.service.conf", path: P.dropIn, mode: "0644", content: renderDaemonDropIn(), unlisted: "host" },
    );
    return files;
}

/**
 * The files the step installs, in order, except two: the server key (secret: it exists only in
 * the script, which then goes to the host as a Pulumi secret) and the systemd drop-in (it names
 * the host's dockerd, see {@link renderDaemonDropIn}).
 */
export function daemonConfigFiles(plan: DaemonConfigPlan): RenderedFile[] {
    return staged(plan)
        .filter((f) => f.unlisted === undefined)
        .map((f) => ({ path: f.path, mode: f.mode, owner: "root:root", content: f.content }));
}

/** The CIS ids the step sets: section 2 but the waived controls, and the modes of the files it installs. */
export function daemonConfigCis(plan: DaemonConfigPlan): string[] {
    const waived = new Set(plan.waivers.map((w) => w.cis));
    const section2 = [...Array(17).keys()].map((i) => `2.${i + 2}`).filter((id) => !waived.has(id));
    const files = plan.tls ? ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.17", "3.18"] : ["3.17", "3.18"];
    return [...section2, ...files];
}

/** One line: where the logs go, remapping, the API socket, and what is waived. */
export function daemonConfigTitle(plan: DaemonConfigPlan): string {
    const s = plan.settings;
    const opts = s["log-opts"] as Record<string, string>;
    const logs = s["log-driver"] === "syslog" ? `syslog to ${opts["syslog-address"]}` : "journald";
    const hosts = s.hosts as string[];
    const api = hosts.length > 1 ? `API on ${hosts[1]} with TLS client verification` : "API on the Unix socket only";
    const userns = plan.usernsRemap === false ? "no userns-remap" : `userns-remap ${plan.usernsRemap}`;
    const waived = plan.waivers.length > 0 ? `; waived: CIS ${plan.waivers.map((w) => w.cis).join(", ")}` : "";
    return `daemon.json per CIS section 2: logs by ${logs}, ${userns}, ${api}${waived}`;
}

const BODY = `
daemon_systemd() { [ -d /run/systemd/system ]; }

# daemon_find_dockerd: the dockerd that the packaged docker.service starts (/usr/sbin/dockerd from
# docker.io, /usr/bin/dockerd from docker-ce): the drop-in and the trial run use the same binary.
daemon_find_dockerd() {
    local unit bin=""
    if [ -n "$daemon_dockerd" ]; then
        return 0
    fi
    unit=$(systemctl show -p FragmentPath --value docker.service 2>/dev/null || true)
    if [ -n "$unit" ] && [ -f "$unit" ]; then
        bin=$(sed -n 's|^ExecStart=\\(/[^ ]*\\).*|\\1|p' "$unit")
        bin=\${bin%%$'\\n'*}
    fi
    if [ -z "$bin" ]; then
        bin=$(command -v dockerd || true)
    fi
    if [ -z "$bin" ] || [ ! -x "$bin" ]; then
        hd_die "dockerd is not installed (HardenedHost's engine step installs it)"
    fi
    daemon_dockerd=$bin
}

# daemon_docker ARGS...: the client, talking to the daemon this step configures.
daemon_docker() { timeout 20 docker "$@"; }

# daemon_running: docker.service is up (or starting).
daemon_running() { systemctl is-active --quiet docker.service; }

# daemon_restart: restarts docker.service; systemd's start limit does not block a restart of ours.
daemon_restart() {
    systemctl reset-failed docker.service >/dev/null 2>&1 || true
    timeout "$daemon_wait" systemctl restart docker.service
}

# daemon_units_reload: systemd reads the drop-in (or its absence) again.
daemon_units_reload() { systemctl daemon-reload; }

# daemon_units_check: docker.service now starts dockerd as the drop-in says; another drop-in that
# sorts later and sets ExecStart would put flags back, and dockerd would refuse the file.
daemon_units_check() {
    local exec
    exec=$(systemctl show -p ExecStart --value docker.service)
    case "$exec" in
        *"argv[]=$daemon_dockerd --containerd=$daemon_containerd ;"*) ;;
        *)
            daemon_failure="after systemctl daemon-reload, docker.service does not run \\"$daemon_dockerd --containerd=$daemon_containerd\\" (does another drop-in set ExecStart?): $exec"
            return 1
            ;;
    esac
}

# daemon_journal SINCE: what dockerd logged since SINCE (seconds since the epoch); systemd's lines
# about docker.service when dockerd logged nothing (it did not start at all).
daemon_journal() {
    local lines
    lines=$(journalctl -u docker.service -t dockerd --since "@$1" --no-pager -o cat 2>/dev/null || true)
    if [ -z "$lines" ]; then
        lines=$(journalctl -u docker.service --since "@$1" --no-pager -o cat 2>/dev/null || true)
    fi
    printf '%s\n' "$lines"
}

# daemon_reason: the lines of dockerd's log (on stdin) that say why it stopped: its last words
# (the lines that are not time="..." log records), else its errors, else its last lines.
daemon_reason() {
    local log lines
    log=$(cat)
    lines=$(grep -v '^time=' <<<"$log" | tail -n 3 || true)
    if [ -z "$lines" ]; then
        lines=$(grep -E 'level=(error|fatal)' <<<"$log" | tail -n 3 || true)
    fi
    if [ -z "$lines" ]; then
        lines=$(tail -n 3 <<<"$log")
    fi
    printf '%s' "\${lines:-(nothing logged)}"
}

# daemon_trial_stop: stops the trial dockerd, if one runs, and its containerd; removes its directory.
daemon_trial_stop() {
    local i cpid dir=$daemon_trial_dir
    if [ -n "$daemon_trial_pid" ]; then
        kill -TERM "$daemon_trial_pid" 2>/dev/null || true
        for ((i = 0; i < 200; i++)); do
            kill -0 "$daemon_trial_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$daemon_trial_pid" 2>/dev/null || true
        wait "$daemon_trial_pid" 2>/dev/null || true
        cpid=$(cat "$dir/exec/containerd/containerd.pid" 2>/dev/null || true)
        if [ -n "$cpid" ] && grep -qF "$dir/" "/proc/$cpid/cmdline" 2>/dev/null; then
            kill -KILL "$cpid" 2>/dev/null || true
        fi
        daemon_trial_pid=""
    fi
    if [ -n "$dir" ]; then
        rm -rf "$dir"
        daemon_trial_dir=""
    fi
}

# daemon_trial CANDIDATE: dockerd 20.10 has no --validate, so a throwaway dockerd starts with the
# candidate, in private mount and network namespaces, with its own data root, exec root, pidfile
# and Unix socket, and is stopped as soon as it answers. What dockerd refuses at start, it refuses
# here: unknown keys, values of the wrong type, settings given twice, TLS files that do not load,
# a userns-remap user without ranges, log options. The copy differs where a second daemon must:
# "hosts", "data-root", "exec-root" and "pidfile" give way to the private ones; "storage-driver"
# is vfs (the real driver needs the real data root's file system, which the restart checks,
# rolling back on failure); "authorization-plugins" is left out (a plugin is found in the real
# data root or socket directory at the restart, also rolled back on failure); TLS and seccomp
# files are the staged ones. The running daemon is not touched: its iptables, bridge, sockets and
# data stay in the host's namespaces and directories. The trial's directory is not under $HD_TMP:
# with userns-remap the remapped root must traverse it (0711), where $HD_TMP (0700) holds the key.
daemon_trial() {
    local candidate=$1 dir ok=0 i reason
    daemon_trial_stop
    dir=$(mktemp -d /tmp/hd-trial.XXXXXXXXXX)
    daemon_trial_dir=$dir
    chmod 0711 "$dir"
    mkdir -p "$dir/data" "$dir/exec"
    jq --arg tmp "$HD_TMP" --arg ca "$daemon_tls_ca" --arg cert "$daemon_tls_cert" --arg key "$daemon_tls_key" \\
        --arg seccomp "$daemon_seccomp" '
        del(.hosts, ."data-root", ."exec-root", .pidfile, ."authorization-plugins")
        | ."storage-driver" = "vfs"
        | if .tlscacert == $ca then .tlscacert = $tmp + "/ca.pem" else . end
        | if .tlscert == $cert then .tlscert = $tmp + "/server-cert.pem" else . end
        | if .tlskey == $key then .tlskey = $tmp + "/server-key.pem" else . end
        | if ."seccomp-profile" == $seccomp then ."seccomp-profile" = $tmp + "/seccomp.json" else . end
    ' "$candidate" >"$dir/daemon.json"
    if ! unshare --mount --net true </dev/null; then
        hd_die "cannot create private namespaces (unshare --mount --net) for the trial dockerd; nothing was installed"
    fi
    unshare --mount --net -- "$daemon_dockerd" --config-file "$dir/daemon.json" --data-root "$dir/data" \\
        --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" -H "unix://$dir/docker.sock" \\
        </dev/null >"$dir/dockerd.log" 2>&1 &
    daemon_trial_pid=$!
    for ((i = 0; i < daemon_trial_wait * 10; i++)); do
        if timeout 10 docker -H "unix://$dir/docker.sock" version >/dev/null 2>&1; then
            ok=1
            break
        fi
        kill -0 "$daemon_trial_pid" 2>/dev/null || break
        sleep 0.1
    done
    # Read before the directory goes.
    reason=$(daemon_reason <"$dir/dockerd.log")
    daemon_trial_stop
    if [ "$ok" != 1 ]; then
        hd_die "dockerd refuses the new daemon.json (a trial dockerd in private namespaces; nothing was installed): $reason"
    fi
}

# daemon_validate CANDIDATE: the candidate is a JSON object that dockerd accepts, by its own
# --validate (23.0 and later), else by a trial run.
daemon_validate() {
    local candidate=$1 help out
    if ! out=$(jq -e 'type == "object"' "$candidate" 2>&1 >/dev/null); then
        hd_die "the new daemon.json is not a JSON object; nothing was installed: \${out:-not an object}"
    fi
    help=$("$daemon_dockerd" --help 2>&1 || true)
    if [[ "$help" == *--validate* ]]; then
        if ! out=$("$daemon_dockerd" --validate --config-file "$candidate" 2>&1 </dev/null); then
            hd_die "dockerd --validate refuses the new daemon.json; nothing was installed: $out"
        fi
    else
        daemon_trial "$candidate"
    fi
}

# daemon_subid FILE FLAG: dockremap gets 65536 subordinate ids in FILE, after every range there.
daemon_subid() {
    local file=$1 flag=$2 start=100000
    if [ -f "$file" ] && grep -q '^dockremap:' "$file"; then
        return 0
    fi
    if [ -f "$file" ]; then
        start=$(awk -F: 'BEGIN { end = 100000 } NF >= 3 && $2 + $3 > end { end = $2 + $3 } END { print end }' "$file")
    fi
    usermod "$flag" "$start-$((start + 65535))" dockremap
    hd_log "changed: $file: dockremap gets $start-$((start + 65535))"
}

# daemon_userns_notice: turning remapping on hides what the un-remapped daemon made: it stays on
# disk under the data root, byte for byte, but the remapped daemon has a root of its own. Says so,
# with the counts, so nobody takes it for a loss.
daemon_userns_notice() {
    local opts containers volumes
    opts=$(docker info --format '{{json .SecurityOptions}}' 2>/dev/null) || return 0
    if [[ "$opts" == *name=userns* ]]; then
        return 0
    fi
    containers=$(docker ps -aq 2>/dev/null | wc -l)
    volumes=$(docker volume ls -q 2>/dev/null | wc -l)
    if [ "$containers" -gt 0 ] || [ "$volumes" -gt 0 ]; then
        hd_log "warning: turning on userns-remap: the $containers containers and $volumes volumes of the un-remapped daemon stay on disk under $daemon_expect_root, but the remapped daemon does not see them (usernsRemap: false with waivers.noUsernsRemap keeps them in use)"
    fi
}

# daemon_userns: what "userns-remap" needs, before the trial run and the restart: the dockremap
# user with its ranges for "default" (dockerd would add them itself at start, writing /etc from a
# daemon), or the named user, which must exist already.
daemon_userns() {
    local user=\${daemon_userns%%:*}
    if [ -z "$daemon_userns" ]; then
        return 0
    fi
    daemon_userns_notice
    if [ "$daemon_userns" != default ]; then
        if ! getent passwd "$user" >/dev/null; then
            hd_die "userns-remap names the user $user, which does not exist on this host; create it with ranges in /etc/subuid and /etc/subgid"
        fi
        return 0
    fi
    if ! getent passwd dockremap >/dev/null; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin dockremap
        hd_log "changed: created the system user dockremap (userns-remap)"
    fi
    daemon_subid /etc/subuid --add-subuids
    daemon_subid /etc/subgid --add-subgids
}

# daemon_backup: copies every path the step writes or removes, or notes that it is absent.
daemon_backup() {
    local i=0 path
    mkdir -p "$HD_TMP/previous"
    for path in "\${daemon_dests[@]}" "\${daemon_absent[@]}"; do
        rm -f "$HD_TMP/previous/$i" "$HD_TMP/previous/$i.absent"
        if [ -e "$path" ]; then
            cp -p "$path" "$HD_TMP/previous/$i"
        else
            : >"$HD_TMP/previous/$i.absent"
        fi
        i=$((i + 1))
    done
}

# daemon_restore: puts every path back as daemon_backup found it; fails if one could not be.
daemon_restore() {
    local i=0 path failed=0
    for path in "\${daemon_dests[@]}" "\${daemon_absent[@]}"; do
        if [ -e "$HD_TMP/previous/$i.absent" ]; then
            rm -f "$path" || failed=1
        elif ! { cp -p "$HD_TMP/previous/$i" "$path.hd-new" && mv -f "$path.hd-new" "$path"; }; then
            failed=1
        fi
        i=$((i + 1))
    done
    return "$failed"
}

# daemon_install: installs the staged files and removes the ones no longer configured; sets
# daemon_changed (and daemon_dropin_changed) when that changed anything.
daemon_install() {
    local i path
    for i in "\${!daemon_dests[@]}"; do
        if hd_install_file "$HD_TMP/\${daemon_srcs[$i]}" "\${daemon_dests[$i]}" "\${daemon_modes[$i]}" root:root; then
            daemon_changed=1
            if [ "\${daemon_dests[$i]}" = "$daemon_dropin" ]; then
                daemon_dropin_changed=1
            fi
        fi
    done
    for path in "\${daemon_absent[@]}"; do
        if [ -e "$path" ]; then
            rm -f "$path"
            hd_log "changed: removed $path"
            daemon_changed=1
        fi
    done
}

# daemon_effective: the running dockerd applies the installed configuration, as far as docker info
# shows it; prints what differs.
daemon_effective() {
    local info driver live root experimental opt profile
    local -a opts
    if ! info=$(daemon_docker info --format '{{.LoggingDriver}}|{{.LiveRestoreEnabled}}|{{.DockerRootDir}}|{{.ExperimentalBuild}}|{{range .SecurityOptions}}{{.}} {{end}}' 2>&1); then
        printf 'docker info fails: %s' "$info"
        return 1
    fi
    IFS='|' read -r driver live root experimental opt <<<"$info"
    read -r -a opts <<<"$opt"
    if [ "$driver" != "$daemon_expect_log_driver" ]; then
        printf 'its log driver is %s, not %s' "$driver" "$daemon_expect_log_driver"
        return 1
    fi
    if [ "$live" != "$daemon_expect_live_restore" ]; then
        printf 'live restore is %s, not %s' "$live" "$daemon_expect_live_restore"
        return 1
    fi
    if [ "$experimental" != false ]; then
        printf 'experimental features are on'
        return 1
    fi
    if [ -n "$daemon_userns" ]; then
        if [[ " \${opts[*]} " != *" name=userns "* ]] || [[ ! "\${root#"$daemon_expect_root"/}" =~ ^[0-9]+\\.[0-9]+$ ]]; then
            printf 'user namespaces are not remapped (data root %s, security options: %s)' "$root" "\${opts[*]}"
            return 1
        fi
    elif [ "$root" != "$daemon_expect_root" ] || [[ " \${opts[*]} " == *" name=userns "* ]]; then
        printf 'its data root is %s, not %s without remapping' "$root" "$daemon_expect_root"
        return 1
    fi
    for opt in "\${opts[@]}"; do
        if [[ "$opt" == name=seccomp,profile=* ]]; then
            profile=\${opt#name=seccomp,profile=}
            if [ "$daemon_expect_seccomp" = default ] && [[ "$profile" == default || "$profile" == builtin ]]; then
                continue
            fi
            if [ "$profile" != "$daemon_expect_seccomp" ]; then
                printf 'its seccomp profile is %s, not %s' "$profile" "$daemon_expect_seccomp"
                return 1
            fi
        fi
    done
}

# daemon_wait_up: dockerd answers within daemon_wait seconds of the restart.
daemon_wait_up() {
    local end=$((SECONDS + daemon_wait))
    while [ "$SECONDS" -lt "$end" ]; do
        if daemon_docker info --format '{{.ID}}' >/dev/null 2>&1; then
            return 0
        fi
        if ! daemon_running; then
            daemon_failure="dockerd stopped"
            return 1
        fi
        sleep 0.5
    done
    daemon_failure="dockerd did not answer within $daemon_wait s"
    return 1
}

# daemon_activate: systemd reads the drop-in, docker.service restarts, dockerd answers. (Called
# on the left of ||, where errexit is off: every failure returns explicitly.)
daemon_activate() {
    if [ "$daemon_dropin_changed" = 1 ]; then
        if ! daemon_units_reload; then
            daemon_failure="systemctl daemon-reload failed"
            return 1
        fi
        daemon_units_check || return 1
    fi
    if ! daemon_restart; then
        daemon_failure="systemctl restart docker.service failed"
        return 1
    fi
    daemon_wait_up
}

# daemon_rollback SINCE: puts the previous files back, restarts dockerd with them, and fails with
# what went wrong and what dockerd said.
daemon_rollback() {
    local since=$1 failure=$daemon_failure reason
    reason=$(daemon_journal "$since" | daemon_reason)
    if ! daemon_restore; then
        hd_die "dockerd did not come back with the new configuration ($failure), and the previous files could not all be restored; dockerd said: $reason"
    fi
    if [ "$daemon_dropin_changed" = 1 ]; then
        daemon_units_reload || true
    fi
    if daemon_restart && daemon_wait_up; then
        hd_die "dockerd did not come back with the new configuration ($failure), so the previous files are restored and dockerd runs with them again; dockerd said: $reason"
    fi
    hd_die "dockerd did not come back with the new configuration ($failure), nor with the previous files restored ($daemon_failure); dockerd said: $reason"
}
`;

/**
 * The daemon configuration step (CIS section 2): installs daemon.json, the files it names and the
 * docker.service drop-in, after dockerd accepts them (`--validate`, or a trial dockerd in private
 * namespaces on 20.10), and restarts dockerd only when they changed, rolling back if it does not
 * come back. Secret when it carries the TLS server key.
 */
export function renderDaemonConfig(plan: DaemonConfigPlan, _ctx: HostContext): HostStep {
    const all = staged(plan);
    const absent = [
        ...(plan.tls ? [] : [P.tlsCa, P.tlsCert, P.tlsKey]),
        ...(plan.seccompProfile === undefined ? [P.seccompProfile] : []),
    ];
    const settings = plan.settings;
    const userns = plan.usernsRemap === false ? "" : plan.usernsRemap;
    const values = [
        "# Rendered values.",
        `daemon_json=${P.daemonJson}`,
        `daemon_dropin=${P.dropIn}`,
        `daemon_seccomp=${P.seccompProfile}`,
        `daemon_tls_ca=${P.tlsCa}`,
        `daemon_tls_cert=${P.tlsCert}`,
        `daemon_tls_key=${P.tlsKey}`,
        `daemon_containerd=${DAEMON_CONFIG_DEFAULTS.containerdSocket}`,
        `daemon_userns=${userns === "" ? '""' : userns}`,
        `daemon_expect_root=${plan.dataRoot}`,
        `daemon_expect_log_driver=${String(settings["log-driver"])}`,
        `daemon_expect_live_restore=${String(settings["live-restore"])}`,
        `daemon_expect_seccomp=${plan.seccompProfile === undefined ? "default" : P.seccompProfile}`,
        `daemon_wait=${DAEMON_CONFIG_DEFAULTS.restartWaitSeconds}`,
        "daemon_trial_wait=30",
        "# Found on the host when empty.",
        'daemon_dockerd=""',
        "# The files, in the order they are installed, and the ones removed.",
        `daemon_srcs=(${all.map((f) => f.name).join(" ")})`,
        `daemon_dests=(${all.map((f) => f.path).join(" ")})`,
        `daemon_modes=(${all.map((f) => f.mode).join(" ")})`,
        `daemon_absent=(${absent.join(" ")})`,
        'daemon_trial_pid=""',
        'daemon_trial_dir=""',
        'daemon_failure=""',
        "daemon_changed=0",
        "daemon_dropin_changed=0",
    ].join("\n");
    const main = [
        `${DAEMON_CONFIG_MAIN}() {`,
        "    local since why",
        "    trap 'daemon_trial_stop; rm -rf \"$HD_TMP\"' EXIT",
        "    unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH",
        "    if ! daemon_systemd; then",
        '        hd_die "systemd is not running: this step restarts dockerd through docker.service"',
        "    fi",
        "    hd_apt_install jq",
        "    daemon_find_dockerd",
        ...all.map((f) => embedFile(f.name, f.content)),
        `    sed -i "s|${DOCKERD_PLACEHOLDER}|$daemon_dockerd|" "$HD_TMP/docker.service.conf"`,
        "    daemon_userns",
        '    daemon_validate "$HD_TMP/daemon.json"',
        "    daemon_backup",
        '    if [ -f "$daemon_json" ] && ! cmp -s "$HD_TMP/daemon.json" "$daemon_json"; then',
        '        cp -p "$daemon_json" "$daemon_json.hd-previous"',
        "    fi",
        "    daemon_install",
        "    since=$(date +%s)",
        '    if [ "$daemon_changed" = 1 ]; then',
        '        daemon_activate || daemon_rollback "$since"',
        '        hd_log "changed: restarted docker.service"',
        "    elif daemon_running && why=$(daemon_effective); then",
        "        return 0",
        "    else",
        "        if ! { daemon_restart && daemon_wait_up; }; then",
        '            hd_die "docker.service does not come back ($daemon_failure); dockerd said: $(daemon_journal "$since" | daemon_reason)"',
        "        fi",
        '        hd_log "changed: restarted docker.service, which did not run with the installed files: ${why:-it was stopped}"',
        "    fi",
        "    if ! why=$(daemon_effective); then",
        '        hd_die "dockerd restarted, but does not apply $daemon_json: $why"',
        "    fi",
        "}",
    ].join("\n");
    return {
        id: DAEMON_CONFIG_STEP,
        title: daemonConfigTitle(plan),
        cis: daemonConfigCis(plan),
        script: `${prelude(DAEMON_CONFIG_STEP)}\n${[values, BODY, main, DAEMON_CONFIG_MAIN].map((p) => p.trim()).join("\n\n")}\n`,
        files: daemonConfigFiles(plan),
        secret: plan.tls !== undefined,
    };
}
