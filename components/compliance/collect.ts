import { gunzipSync } from "node:zlib";
import { AUDIT_DEFAULTS } from "../host/audit/defaults";
import { FIREWALL_UNIT } from "../host/firewall/render";
import { HYGIENE_FILE_MODES } from "../host/hygiene/defaults";
import { SYSCTL_KEY } from "../host/kernel/validate";
import { LOGGING_DEFAULTS } from "../host/logging/defaults";

/** What the collector needs to know to read the right things: nothing secret. */
export interface CollectorPlan {
    /** Docker's data root, as HardenedHost moved it. */
    dataRoot: string;
    /** The deployment user: sshd's effective settings are read for a login of this user. */
    sshUser: string;
    /** The sysctl keys whose running values the audit compares with the kernel step's. */
    sysctlKeys: string[];
}

/** The first bytes of the collector's output, naming its format. */
export const COLLECTOR_FORMAT = "hd-audit-v1:";

/** Where the docker.service and docker.socket unit files are, when systemd does not say. */
const UNIT_FALLBACKS = ["/lib/systemd/system", "/usr/lib/systemd/system", "/etc/systemd/system"];

/** Files of CIS section 3 at fixed paths (the unit files and TLS files are found on the host). */
export const FIXED_FILES = Object.freeze([
    "/etc/docker",
    "/etc/docker/daemon.json",
    "/var/run/docker.sock",
    "/etc/default/docker",
    "/etc/sysconfig/docker",
    "/run/containerd/containerd.sock",
]);

/** Seconds any one tool may take before the collector gives up on it (a stuck daemon must not hang `pulumi up`). */
export const TOOL_TIMEOUT_SECONDS = 60;

/** The HostConfig fields the checks read; never all of it (a log driver's options may hold a token). */
const HOST_CONFIG_FIELDS = [
    "Privileged",
    "ReadonlyRootfs",
    "CapAdd",
    "CapDrop",
    "SecurityOpt",
    "Memory",
    "CpuShares",
    "NanoCpus",
    "CpuQuota",
    "PidsLimit",
    "NetworkMode",
    "PidMode",
    "IpcMode",
    "UTSMode",
    "UsernsMode",
    "CgroupParent",
    "RestartPolicy",
];

/** A section's name: letters, digits, `-`, `.`, `:` (the container id after the colon). */
const SECTION_NAME = /^[a-z][a-z0-9.-]*(:[0-9a-f]{64})?$/;

function sh(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The collector: a bash script, run as root on the host, that reads the effective state and changes
 * nothing. Each section is one command's output (stdout and stderr) and exit code; the whole is
 * gzipped and base64-encoded on one line, so nothing in it can be mistaken for the format. It never
 * reads a container's environment or a health check's output (secrets live there): `docker inspect`
 * runs with a template that names the fields the checks read.
 */
export function renderCollector(plan: CollectorPlan): string {
    if (!/^\/[A-Za-z0-9._\/-]*$/.test(plan.dataRoot)) {
        throw new Error(`data root ${JSON.stringify(plan.dataRoot)} is not a plain absolute path`);
    }
    if (!/^[a-z_][a-z0-9_-]*$/.test(plan.sshUser)) {
        throw new Error(`ssh user ${JSON.stringify(plan.sshUser)} is not a plain user name`);
    }
    for (const key of plan.sysctlKeys) {
        if (!SYSCTL_KEY.test(key)) {
            throw new Error(`sysctl key ${JSON.stringify(key)} is not a plain key`);
        }
    }
    const candidates = [
        ...AUDIT_DEFAULTS.candidates.map((c) => `${c.id} ${c.path}`),
        ...(plan.dataRoot === "/var/lib/docker" ? [] : [`1.1.5 ${plan.dataRoot}`]),
    ];
    const hostConfig = HOST_CONFIG_FIELDS.map((f) => `"${f}":{{json .HostConfig.${f}}}`).join(",");
    const inspect = [
        `{"Id":{{json .Id}},"Name":{{json .Name}}`,
        // Only the health check's kind (CMD, CMD-SHELL or NONE): its command may hold a secret.
        `"Config":{"User":{{json .Config.User}},"Image":{{json .Config.Image}},"Healthcheck":{{with .Config.Healthcheck}}{"Test":{{with .Test}}[{{json (index . 0)}}]{{else}}[]{{end}}}{{else}}null{{end}}}`,
        `"State":{"Pid":{{json .State.Pid}},"Running":{{json .State.Running}},"Health":{{if .State.Health}}{{json .State.Health.Status}}{{else}}null{{end}}}`,
        `"HostConfig":{${hostConfig}},"Mounts":{{json .Mounts}},"AppArmorProfile":{{json .AppArmorProfile}}`,
        `"NetworkSettings":{"Ports":{{json .NetworkSettings.Ports}},"Networks":{{json .NetworkSettings.Networks}}}}`,
    ].join(",");
    const sysctlKeys = plan.sysctlKeys.join(" ");
    return `#!/bin/bash
# hardened-docker compliance audit: collects the effective state of the host, its daemon and its
# running containers for the CIS Docker Benchmark v1.6.0 checks. Reads only; changes nothing.
set -uo pipefail
umask 077
export LC_ALL=C
HD_OUT=$(mktemp -d) || exit 1
trap 'rm -rf "$HD_OUT"' EXIT
: >"$HD_OUT/all"
: >"$HD_OUT/ids"

# hd_section NAME FUNCTION: records FUNCTION's exit code and its output, base64 on one line; its
# standard error only when it failed (a warning on stderr must not spoil a JSON output).
hd_section() {
    local name=$1 rc=0
    "$2" >"$HD_OUT/out" 2>"$HD_OUT/err" </dev/null || rc=$?
    if [ "$rc" -ne 0 ]; then cat "$HD_OUT/err" >>"$HD_OUT/out"; fi
    printf '%s %s %s\\n' "$name" "$rc" "$(base64 -w0 <"$HD_OUT/out")" >>"$HD_OUT/all"
}

# Every tool that could block (a stuck daemon, a hung socket) gets ${TOOL_TIMEOUT_SECONDS} s.
for hd_tool in docker auditctl nft sshd systemctl getent findmnt ss sysctl iptables; do
    eval "$hd_tool() { timeout -k 5 ${TOOL_TIMEOUT_SECONDS} $hd_tool \\"\\$@\\"; }"
done

DATA_ROOT=${sh(plan.dataRoot)}

meta() {
    date -u +%Y-%m-%dT%H:%M:%SZ
    hostname
    uname -r
    sed -n 's/^PRETTY_NAME=//p' /etc/os-release | tr -d '"'
}
mount_data() { findmnt -n -r -o TARGET,SOURCE,FSTYPE,UUID -T "$DATA_ROOT"; }
mount_root() { findmnt -n -r -o TARGET,SOURCE,FSTYPE,UUID -T /; }
fstab() { findmnt -s -n -r -o TARGET,SOURCE,FSTYPE; }
# The same with LABEL=, UUID= and PARTUUID= turned into device names.
fstab_evaluated() { findmnt -s -e -n -r -o TARGET,SOURCE,FSTYPE; }
docker_group() { getent group docker; }
audit_status() { auditctl -s; }
audit_rules() { auditctl -l; }
# "<path><TAB><real path>" for each path a loaded rule names (-w, -F path=, -F dir=).
audit_rule_paths() {
    local p
    auditctl -l | grep -oE '(^-w |-F (path|dir)=)[^ ]+' | sed -E 's/^(-w |-F (path|dir)=)//' | sort -u |
        while IFS= read -r p; do printf '%s\\t%s\\n' "$p" "$(readlink -f "$p" || printf '%s' "$p")"; done
}
# "<id> <path> <exists|parent|absent> <real path>": where each CIS path is, as auditd would watch it.
audit_paths() {
    local id path dir
    while read -r id path; do
        dir=\${path%/*}
        if [ -e "$path" ]; then
            printf '%s %s exists %s\\n' "$id" "$path" "$(readlink -f "$path")"
        elif [ -d "$dir" ]; then
            printf '%s %s parent %s/%s\\n' "$id" "$path" "$(readlink -f "$dir")" "\${path##*/}"
        else
            printf '%s %s absent -\\n' "$id" "$path"
        fi
    done <<'HD_CANDIDATES'
${candidates.join("\n")}
HD_CANDIDATES
}
# sshd's settings for the deployment user on loopback, and for root from an outside address, so a
# Match block that relaxes either is seen.
sshd_settings() { sshd -T -C user=${plan.sshUser},host=localhost,addr=127.0.0.1; }
sshd_settings_outside() { sshd -T -C user=root,host=audit.invalid,addr=192.0.2.1; }
nft_ruleset() { nft -s list ruleset; }
iptables_docker() { iptables -t nat -S DOCKER; }
firewall_unit() { systemctl is-enabled ${FIREWALL_UNIT}; }
# "<key> = <value>", or "<key> = <absent>" for a key this kernel does not have.
sysctl_values() {
    local k
    for k in ${sysctlKeys}; do
        if [ -e "/proc/sys/\${k//.//}" ]; then sysctl "$k"; else printf '%s = <absent>\\n' "$k"; fi
    done
}
rsyslog() {
    systemctl is-active rsyslog.service
    if [ -f ${LOGGING_DEFAULTS.confPath} ]; then echo "${LOGGING_DEFAULTS.confPath} present"; fi
}
docker_info() { docker info --format '{{json .}}'; }
bridge_options() { docker network inspect bridge --format '{{json .Options}}'; }
dockerd_cmdline() {
    local pid
    pid=$(systemctl show -p MainPID --value docker.service 2>/dev/null || true)
    if [ -z "$pid" ] || [ "$pid" = 0 ]; then pid=$(pidof -s dockerd); fi
    tr '\\0' '\\n' <"/proc/$pid/cmdline"
}
daemon_json() { cat /etc/docker/daemon.json; }
listeners() { ss -H -l -t -n -p; }
docker_proxy() { pgrep -a -x docker-proxy || true; }
# "<name><TAB><type><TAB><real device>" of each volume (never its options: a mount's password lives there).
volumes() {
    docker volume ls -q | while IFS= read -r v; do
        docker volume inspect --format '{{.Name}}{{"\\t"}}{{index .Options "type"}}{{"\\t"}}{{index .Options "device"}}' "$v"
    done | while IFS=$'\\t' read -r v type device; do
        printf '%s\\t%s\\t%s\\n' "$v" "$type" "\${device:+$(readlink -f "$device" || printf '%s' "$device")}"
    done
}
# "<kind>|<path>|<mode>|<user>|<group>|<type>" for each file of CIS section 3 that exists.
file_modes() {
    local p unit dir
    for unit in docker.service docker.socket; do
        p=$(systemctl show -p FragmentPath --value "$unit" 2>/dev/null || true)
        if [ -z "$p" ]; then
            for dir in ${UNIT_FALLBACKS.join(" ")}; do
                if [ -e "$dir/$unit" ]; then p=$dir/$unit; break; fi
            done
        fi
        if [ -n "$p" ] && [ -e "$p" ]; then
            find -H "$p" -maxdepth 0 -printf "unit:$unit|%p|%m|%u|%g|%y\\n"
        fi
    done
    for p in ${FIXED_FILES.join(" ")}; do
        if [ -e "$p" ]; then find -H "$p" -maxdepth 0 -printf 'file|%p|%m|%u|%g|%y\\n'; fi
    done
    if [ -d /etc/docker/certs.d ]; then
        # -L: a link is judged by what it points to.
        find -L /etc/docker/certs.d -mindepth 1 -printf 'certs.d|%p|%m|%u|%g|%y\\n'
    fi
    # The TLS files daemon.json names, and those the daemon's command line names (--flag=value or
    # --flag value).
    local key
    { grep -oE '"tls(cacert|cert|key)"[[:space:]]*:[[:space:]]*"[^"]+"' /etc/docker/daemon.json 2>/dev/null |
        sed -E 's/^"([a-z]+)"[[:space:]]*:[[:space:]]*"(.*)"$/\\1 \\2/'
      dockerd_cmdline 2>/dev/null | awk '
        prev ~ /^--tls(cacert|cert|key)$/ { print substr(prev, 3), $0 }
        /^--tls(cacert|cert|key)=/ { i = index($0, "="); print substr($0, 3, i - 3), substr($0, i + 1) }
        { prev = $0 }'
    } | while read -r key p; do
        if [ -e "$p" ]; then find -H "$p" -maxdepth 0 -printf "$key|%p|%m|%u|%g|%y\\n"; else echo "$key|$p|absent"; fi
    done
}
containers() { docker ps -q --no-trunc | tee "$HD_OUT/ids"; }
# "uid_min <n>", then "<name>|<uid>|<shell>|<login|nologin>|<locked|usable|none>" per local account:
# whether its shell is a login shell (/etc/shells, nologin and false aside) and whether its password
# can be used. Never the password hashes themselves.
accounts() {
    local uid_min=1000 key value name uid shell login hash pw
    local -A shells=() hashes=()
    while read -r key value _; do
        if [ "$key" = UID_MIN ]; then uid_min=$value; fi
    done </etc/login.defs
    echo "uid_min $uid_min"
    while IFS= read -r value; do
        case "$value" in /*nologin | /*false | "" | "#"*) ;; *) shells[$value]=1 ;; esac
    done </etc/shells
    while IFS=: read -r name hash _ || [ -n "$name" ]; do hashes[$name]=$hash; done </etc/shadow
    while IFS=: read -r name _ uid _ _ _ shell || [ -n "$name" ]; do
        if [ -n "\${shells[\${shell:-/bin/sh}]:-}" ]; then login=login; else login=nologin; fi
        hash=\${hashes[$name]-}
        case "$hash" in "") pw=none ;; '!'* | '*'*) pw=locked ;; *) pw=usable ;; esac
        printf '%s|%s|%s|%s|%s\n' "$name" "$uid" "$shell" "$login" "$pw"
    done </etc/passwd
}
# "<path>|<mode>|<user>|<group>|<type>" for each path of the hygiene step's table that exists.
host_file_modes() {
    local p
    shopt -s nullglob
    for p in ${HYGIENE_FILE_MODES.map((f) => f.path).join(" ")}; do
        if [ -e "$p" ] || [ -L "$p" ]; then find "$p" -maxdepth 0 -printf '%p|%m|%u|%g|%y\n'; fi
    done
}
# Core dump limits (limits.conf and limits.d, "<file>: <line>") and systemd-coredump's Storage.
core_dumps() {
    local f
    for f in /etc/security/limits.conf /etc/security/limits.d/*.conf; do
        [ -f "$f" ] || continue
        grep -E '^[[:space:]]*[^#[:space:]]+[[:space:]]+(hard|-)[[:space:]]+core[[:space:]]' "$f" | sed "s|^|$f: |"
    done
    for f in /etc/systemd/coredump.conf /etc/systemd/coredump.conf.d/*.conf; do
        [ -f "$f" ] || continue
        grep -E '^[[:space:]]*Storage[[:space:]]*=' "$f" | sed "s|^|$f: |"
    done
}
# What a login shell starts with (umask, TMOUT and whether it is read-only), and login.defs' UMASK.
shell_settings() {
    # shellcheck disable=SC2016 # expanded by the login shell, not here
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/nonexistent sh -l -c \
        'printf "umask %s\n" "$(umask)"; printf "TMOUT %s\n" "\${TMOUT-unset}"; readonly -p | grep -c " TMOUT" | sed "s/^/readonly /"'
    grep -E '^[[:space:]]*UMASK[[:space:]]' /etc/login.defs || echo "UMASK unset"
}
# The profiles the kernel holds ("<name> (<mode>)"), and the digests of those HardenedContainer installed.
apparmor_profiles() {
    cat /sys/kernel/security/apparmor/profiles
    shopt -s nullglob
    local f
    for f in /etc/apparmor.d/hardened-docker.*; do sha256sum "$f"; done
}

for s in meta mount_data mount_root fstab fstab_evaluated docker_group audit_status audit_rules audit_rule_paths \\
    audit_paths sshd_settings sshd_settings_outside nft_ruleset iptables_docker firewall_unit sysctl_values rsyslog \\
    docker_info bridge_options dockerd_cmdline daemon_json listeners docker_proxy volumes file_modes containers \\
    accounts host_file_modes core_dumps shell_settings apparmor_profiles; do
    hd_section "\${s//_/-}" "$s"
done

# Each container the list above named: its inspect data (named fields only), the kernel's view of its
# first process (capabilities, no_new_privs, seccomp), its AppArmor confinement, its processes and
# where its bind mounts really are.
while IFS= read -r id; do
    case "$id" in "" | *[!0-9a-f]*) continue ;; esac
    CID=$id
    inspect() { docker inspect --format ${sh(inspect)} "$CID"; }
    pid=$(docker inspect --format '{{.State.Pid}}' "$CID" 2>/dev/null || echo 0)
    proc_status() { grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' "/proc/$pid/status"; }
    apparmor() { tr -d '\\0' <"/proc/$pid/attr/current"; }
    processes() { docker top "$CID" -o pid,comm; }
    binds() {
        local src
        docker inspect --format '{{range .Mounts}}{{if eq .Type "bind"}}{{println .Source}}{{end}}{{end}}' "$CID" |
            while IFS= read -r src; do
                if [ -n "$src" ]; then printf '%s\\t%s\\n' "$src" "$(readlink -f "$src" || printf '%s' "$src")"; fi
            done
    }
    hd_section "inspect:$id" inspect
    hd_section "proc:$id" proc_status
    hd_section "apparmor:$id" apparmor
    hd_section "processes:$id" processes
    hd_section "binds:$id" binds
done <"$HD_OUT/ids"

printf '${COLLECTOR_FORMAT}'
gzip -9 -n <"$HD_OUT/all" | base64 -w0
`;
}

/** One section of the collector's output: a command's exit code and its output. */
export interface Section {
    rc: number;
    out: string;
}

/** The collector's sections by name (`inspect:<id>` and the like per container). */
export type RawEvidence = Record<string, Section>;

/** Decodes the collector's stdout (as `remote.Command` returns it: one trailing newline trimmed). */
export function decodeCollectorOutput(stdout: string): RawEvidence {
    const text = stdout.trim();
    if (!text.startsWith(COLLECTOR_FORMAT)) {
        throw new Error(
            `the audit's collector printed no ${COLLECTOR_FORMAT} document (it printed ${JSON.stringify(text.slice(0, 120))})`,
        );
    }
    const lines = gunzipSync(Buffer.from(text.slice(COLLECTOR_FORMAT.length), "base64"))
        .toString("utf8")
        .split("\n")
        .filter((l) => l !== "");
    const out: RawEvidence = {};
    for (const line of lines) {
        const [name, rc, b64 = ""] = line.split(" ");
        if (!SECTION_NAME.test(name) || !/^[0-9]+$/.test(rc)) {
            throw new Error(
                `the audit's collector printed a malformed section line ${JSON.stringify(line.slice(0, 120))}`,
            );
        }
        out[name] = { rc: Number(rc), out: Buffer.from(b64, "base64").toString("utf8") };
    }
    return out;
}
