import { embedFile, prelude } from "../shell";
import type { HostContext, HostStep, RenderedFile } from "../step";
import { SSH_DEFAULTS } from "./defaults";
import { validateSshContext, type SshPlan } from "./validate";

/** Where the step writes. The drop-ins sort first: sshd keeps the first value it reads. */
export const SSH_PATHS = Object.freeze({
    sshd: "/usr/sbin/sshd",
    mainConfig: "/etc/ssh/sshd_config",
    dropInDir: "/etc/ssh/sshd_config.d",
    dropIn: "/etc/ssh/sshd_config.d/00-hardened-docker.conf",
    idleDropIn: "/etc/ssh/sshd_config.d/01-hardened-docker-idle.conf",
    banner: "/etc/ssh/hardened-docker-banner",
    moduli: "/etc/ssh/moduli",
    ed25519HostKey: "/etc/ssh/ssh_host_ed25519_key",
    rsaHostKey: "/etc/ssh/ssh_host_rsa_key",
    /** Exists while a change has not been reloaded yet, so an interrupted run reloads next time. */
    reloadPending: "/run/hardened-docker/ssh-reload-pending",
});

/** The Include line Debian's sshd_config starts with; added first when it is missing. */
export const SSH_INCLUDE_LINE = "Include /etc/ssh/sshd_config.d/*.conf";

type Section = { comment: string[]; directives: [keyword: string, value: string][] };

const HEADER = [
    "# Managed by hardened-docker (step ssh, CIS Docker 1.2.1). Edits here are overwritten.",
    "# Named to sort first: sshd keeps the first value it reads for most keywords, and",
    `# ${SSH_PATHS.mainConfig} includes sshd_config.d/*.conf before its own settings.`,
];

function mainSections(plan: SshPlan, ctx: HostContext): Section[] {
    const d = SSH_DEFAULTS;
    const who: [string, string][] = [];
    if (plan.allowUsers !== undefined) {
        who.push(["AllowUsers", plan.allowUsers.join(" ")]);
    }
    if (plan.allowGroups !== undefined) {
        who.push(["AllowGroups", plan.allowGroups.join(" ")]);
    }
    const sections: Section[] = [
        {
            comment: ["Where sshd listens, and its host keys: Ed25519 and RSA of 3072 bits or more; no ECDSA, no DSA."],
            directives: [
                ["Port", String(ctx.sshPort)],
                ["HostKey", SSH_PATHS.ed25519HostKey],
                ["HostKey", SSH_PATHS.rsaHostKey],
            ],
        },
        {
            comment:
                plan.allowUsers !== undefined
                    ? [
                          `Who may log in, and how: public keys only, never root; ${ctx.connectionUser} (the connection user) always.`,
                      ]
                    : [
                          `Who may log in, and how: public keys only, never root; members of AllowGroups, which the`,
                          `script checks include ${ctx.connectionUser} (the connection user).`,
                      ],
            directives: [
                ...who,
                ["PermitRootLogin", "no"],
                ["PubkeyAuthentication", "yes"],
                ["AuthenticationMethods", "publickey"],
                ["PasswordAuthentication", "no"],
                ["KbdInteractiveAuthentication", "no"],
                ["PermitEmptyPasswords", "no"],
                ["HostbasedAuthentication", "no"],
                ["IgnoreRhosts", "yes"],
                ["MaxAuthTries", String(plan.maxAuthTries)],
                ["LoginGraceTime", String(plan.loginGraceTimeSeconds)],
                ["MaxStartups", plan.maxStartups],
                ["MaxSessions", String(plan.maxSessions)],
            ],
        },
        {
            comment: [
                `A client that answers none of ${d.clientAliveCountMax} probes ${d.clientAliveIntervalSeconds} s apart is dropped (dead peers only:`,
                "a live client answers by itself; idle shells are closed by ChannelTimeout).",
            ],
            directives: [
                ["ClientAliveInterval", String(d.clientAliveIntervalSeconds)],
                ["ClientAliveCountMax", String(d.clientAliveCountMax)],
            ],
        },
        {
            comment: ["No forwarding, no tunnels, no environment from the user's files."],
            directives: [
                ["X11Forwarding", "no"],
                ["AllowAgentForwarding", "no"],
                ["AllowTcpForwarding", "no"],
                ["AllowStreamLocalForwarding", "no"],
                ["PermitTunnel", "no"],
                ["GatewayPorts", "no"],
                ["PermitUserEnvironment", "no"],
            ],
        },
        {
            comment: ["Logging, and the algorithms offered (modern only)."],
            directives: [
                ["LogLevel", "VERBOSE"],
                ["UseDNS", "no"],
                ["Compression", "no"],
                ["KexAlgorithms", plan.kexAlgorithms.join(",")],
                ["Ciphers", plan.ciphers.join(",")],
                ["MACs", plan.macs.join(",")],
                ["HostKeyAlgorithms", plan.hostKeyAlgorithms.join(",")],
            ],
        },
    ];
    if (plan.banner !== undefined) {
        sections.push({ comment: ["Shown before login."], directives: [["Banner", SSH_PATHS.banner]] });
    }
    return sections;
}

function idleSections(plan: SshPlan): Section[] {
    const seconds = plan.idleTimeoutMinutes * 60;
    return [
        {
            comment: [
                `An interactive shell with no traffic for ${plan.idleTimeoutMinutes} min is closed. Commands (session:command, how`,
                "deployments run) are not timed out, and keepalive probes do not count as traffic.",
            ],
            directives: [["ChannelTimeout", `session:shell=${seconds}`]],
        },
        {
            comment: ["A connection left with no open channel is closed after the same time."],
            directives: [["UnusedConnectionTimeout", String(seconds)]],
        },
    ];
}

function renderSections(header: string[], sections: Section[]): string {
    const blocks = sections.map((s) =>
        [...s.comment.map((c) => `# ${c}`), ...s.directives.map(([k, v]) => `${k} ${v}`)].join("\n"),
    );
    return `${[header.join("\n"), ...blocks].join("\n\n")}\n`;
}

/** The lines `sshd -T` prints for these directives: lower-case keyword, one line per listed name. */
function effectiveLines(sections: Section[]): string {
    const lines: string[] = [];
    for (const [keyword, value] of sections.flatMap((s) => s.directives)) {
        const k = keyword.toLowerCase();
        if (k === "allowusers" || k === "allowgroups") {
            lines.push(...value.split(" ").map((v) => `${k} ${v}`));
        } else {
            lines.push(`${k} ${value}`);
        }
    }
    return `${lines.join("\n")}\n`;
}

/** The main drop-in, `/etc/ssh/sshd_config.d/00-hardened-docker.conf`. */
export function renderSshDropIn(plan: SshPlan, ctx: HostContext): string {
    return renderSections(HEADER, mainSections(plan, ctx));
}

/**
 * The idle-timeout drop-in. ChannelTimeout and UnusedConnectionTimeout are new in OpenSSH 9.2: the
 * script installs this file only where sshd accepts them (not on Ubuntu 22.04's 8.9).
 */
export function renderSshIdleDropIn(plan: SshPlan): string {
    return renderSections(
        [
            "# Managed by hardened-docker (step ssh). Installed only where sshd knows these keywords",
            "# (OpenSSH 9.2 or later). ClientAliveInterval alone never ends an idle session.",
        ],
        idleSections(plan),
    );
}

/** The `sshd -T` lines the effective configuration must contain, for each drop-in. */
export function renderSshExpected(plan: SshPlan, ctx: HostContext): { main: string; idle: string } {
    return { main: effectiveLines(mainSections(plan, ctx)), idle: effectiveLines(idleSections(plan)) };
}

/** Keywords the drop-ins set: a main sshd_config setting one of them before the Include would win. */
export function sshKeywords(plan: SshPlan, ctx: HostContext): string[] {
    const all = [...mainSections(plan, ctx), ...idleSections(plan)].flatMap((s) => s.directives.map(([k]) => k));
    return [...new Set(all.map((k) => k.toLowerCase()))].sort();
}

/**
 * The bash function that drops the DH groups under 3072 bits from a moduli file. Field 5 is the
 * size minus one, so groups with field 5 >= 3071 stay; comments and blank lines stay; malformed
 * lines go (sshd ignores them anyway). Sets HD_SSH_MODULI_KEPT to the number of groups kept.
 * Plain bash: no awk, which a minimal host may lack.
 */
export function renderModuliFilter(): string {
    return `# hd_ssh_filter_moduli SRC DEST: writes SRC without its DH groups under 3072 bits to DEST.
hd_ssh_filter_moduli() {
    local src=$1 dest=$2 line
    local -a f
    HD_SSH_MODULI_KEPT=0
    while IFS= read -r line || [ -n "$line" ]; do
        read -r -a f <<<"$line"
        if [ "\${#f[@]}" -eq 0 ] || [ "\${f[0]:0:1}" = "#" ]; then
            printf '%s\\n' "$line"
        elif [ "\${#f[@]}" -eq 7 ] && [[ \${f[4]} =~ ^[0-9]{1,6}$ ]] && [ "$((10#\${f[4]}))" -ge ${SSH_DEFAULTS.minModuliField} ]; then
            printf '%s\\n' "$line"
            HD_SSH_MODULI_KEPT=$((HD_SSH_MODULI_KEPT + 1))
        fi
    done <"$src" >"$dest"
}
`;
}

function shellWords(words: readonly string[]): string {
    return words.map((w) => `'${w}'`).join(" ");
}

/** The whole step: files, then the script that installs them after sshd has validated them. */
export function renderSsh(plan: SshPlan, ctx: HostContext): HostStep {
    // The user name goes into the script: never render one that was not validated.
    validateSshContext(ctx);
    const p = SSH_PATHS;
    const d = SSH_DEFAULTS;
    const dropIn: RenderedFile = {
        path: p.dropIn,
        mode: "0600",
        owner: "root:root",
        content: renderSshDropIn(plan, ctx),
    };
    const idle: RenderedFile = {
        path: p.idleDropIn,
        mode: "0600",
        owner: "root:root",
        content: renderSshIdleDropIn(plan),
    };
    const files: RenderedFile[] = [];
    if (plan.banner !== undefined) {
        files.push({ path: p.banner, mode: "0644", owner: "root:root", content: plan.banner });
    }
    files.push(dropIn, idle);
    const expected = renderSshExpected(plan, ctx);

    const body = `
# --- What this run enforces (validated at preview) ---
HD_SSH_USER='${ctx.connectionUser}'
HD_SSH_ALLOW_GROUPS=(${shellWords(plan.allowGroups ?? [])})
HD_SSH_KEYWORDS=' ${sshKeywords(plan, ctx).join(" ")} '
HD_SSH_BANNER=${plan.banner !== undefined ? 1 : 0}
SSHD=${p.sshd}
MAIN=${p.mainConfig}
DROPIN_DIR=${p.dropInDir}
DROPIN=${p.dropIn}
IDLE_DROPIN=${p.idleDropIn}
BANNER=${p.banner}
MODULI=${p.moduli}
ED25519_KEY=${p.ed25519HostKey}
RSA_KEY=${p.rsaHostKey}
PENDING=${p.reloadPending}
SPEC="user=$HD_SSH_USER,host=localhost,addr=127.0.0.1"
changed=0

${renderModuliFilter()}
# hd_ssh_split LINE: sets kw (the keyword, lower case) and rest (its arguments) from a config line,
# in any of sshd's forms: "Keyword value", "Keyword=value", "Keyword = value".
hd_ssh_split() {
    read -r kw rest <<<"$1"
    if [[ $kw == *=* ]]; then
        rest="\${kw#*=} $rest"
        kw=\${kw%%=*}
    fi
    rest=\${rest#=}
    kw=\${kw,,}
}

# hd_ssh_include_state FILE: "ok" when FILE includes sshd_config.d/*.conf before any directive that
# sets one of this step's keywords, "move N" when such a directive comes first and the Include is on
# line N, "missing" when there is no such Include before the first Match block.
hd_ssh_include_state() {
    local line kw rest word n=0 conflict=0
    local -a words
    while IFS= read -r line || [ -n "$line" ]; do
        n=$((n + 1))
        hd_ssh_split "$line"
        case $kw in
        "" | "#"*) ;;
        match) break ;;
        include)
            read -r -a words <<<"$rest"
            for word in "\${words[@]}"; do
                word=\${word//\\"/}
                if [ "$word" = "$DROPIN_DIR/*.conf" ] || [ "$word" = "sshd_config.d/*.conf" ]; then
                    if [ "$conflict" -eq 1 ]; then echo "move $n"; else echo ok; fi
                    return 0
                fi
            done
            ;;
        *)
            if [[ $HD_SSH_KEYWORDS == *" $kw "* ]]; then conflict=1; fi
            ;;
        esac
    done <"$1"
    echo missing
}

# hd_ssh_rewrite_includes FILE DIR: FILE with its Includes of sshd_config.d pointed at DIR, so that a
# candidate tree is validated exactly as the live one will be read.
hd_ssh_rewrite_includes() {
    local line kw rest word out
    local -a words
    while IFS= read -r line || [ -n "$line" ]; do
        hd_ssh_split "$line"
        if [ "$kw" = include ]; then
            read -r -a words <<<"$rest"
            out=Include
            for word in "\${words[@]}"; do
                word=\${word//\\"/}
                case $word in
                "$DROPIN_DIR"/*) word="$2/\${word#"$DROPIN_DIR"/}" ;;
                sshd_config.d/*) word="$2/\${word#sshd_config.d/}" ;;
                esac
                out="$out $word"
            done
            line=$out
        fi
        printf '%s\\n' "$line"
    done <"$1"
}

# hd_ssh_match NAME PATTERN...: NAME matches one of sshd's patterns (* and ?; the user part of
# USER@HOST; negated entries are left to sshd).
hd_ssh_match() {
    local name=$1 pattern
    shift
    for pattern in "$@"; do
        pattern=\${pattern%%@*}
        [ "\${pattern:0:1}" != "!" ] || continue
        # shellcheck disable=SC2053 # the right-hand side is a glob on purpose
        if [[ $name == $pattern ]]; then return 0; fi
    done
    return 1
}

# hd_ssh_safe_path FILE: sshd's StrictModes rule: FILE and each directory above it up to the home
# directory belong to root or the user and are writable by neither group nor others.
hd_ssh_safe_path() {
    local path=$1 owner mode
    while :; do
        read -r owner mode <<<"$(stat -L -c '%u %a' "$path")"
        if { [ "$owner" != 0 ] && [ "$owner" != "$HD_SSH_UID" ]; } || [ "$((8#$mode & 8#022))" -ne 0 ]; then
            HD_SSH_UNSAFE=" ($path has owner uid $owner and mode $mode, which sshd's StrictModes refuses)"
            return 1
        fi
        if [ "$path" = "$HD_SSH_HOME" ] || [ "$path" = / ]; then return 0; fi
        path=$(dirname "$path")
    done
}

# hd_ssh_user_reads FILE: the connection user can read FILE (sshd opens authorized_keys with the
# user's rights). setpriv is util-linux's, essential on Debian and Ubuntu; without it, assume yes.
hd_ssh_user_reads() {
    if ! command -v setpriv >/dev/null 2>&1; then return 0; fi
    setpriv --reuid="$HD_SSH_UID" --regid="$HD_SSH_GID" --init-groups test -r "$1"
}

# hd_ssh_check_keys EFFECTIVE: the connection user has a public key in a file of the effective
# AuthorizedKeysFile that sshd will accept; otherwise turning passwords off would lock it out.
hd_ssh_check_keys() {
    local entry path strict tried=""
    local -a entries
    read -r -a entries <<<"$(sed -n 's/^authorizedkeysfile //p' "$1")"
    strict=$(sed -n 's/^strictmodes //p' "$1")
    HD_SSH_UNSAFE=""
    for entry in "\${entries[@]}"; do
        [ "$entry" != none ] || continue
        path=\${entry//%%/$'\\001'}
        path=\${path//%h/$HD_SSH_HOME}
        path=\${path//%u/$HD_SSH_USER}
        path=\${path//%U/$HD_SSH_UID}
        path=\${path//$'\\001'/%}
        [ "\${path:0:1}" = / ] || path=$HD_SSH_HOME/$path
        tried="$tried $path"
        if [ -f "$path" ] && grep -Eq '^[[:space:]]*[^#[:space:]]' "$path"; then
            if ! hd_ssh_user_reads "$path"; then
                HD_SSH_UNSAFE=" ($HD_SSH_USER cannot read $path, and sshd reads it as the user)"
            elif [ "$strict" = no ] || hd_ssh_safe_path "$path"; then
                return 0
            fi
        fi
    done
    hd_die "$HD_SSH_USER has no usable public key in:$tried$HD_SSH_UNSAFE; this step turns password login off, so add the deployment's key first"
}

# hd_ssh_check_effective EFFECTIVE EXPECTED: every line this step sets is in effect for the
# connection user (no earlier drop-in or Match block overrides it), and the user may log in.
hd_ssh_check_effective() {
    local want group in_group
    local -a missing=() allow_users deny_users allow_groups deny_groups groups
    while IFS= read -r want; do
        grep -qxF -- "$want" "$1" || missing+=("$want")
    done <"$2"
    if [ "\${#missing[@]}" -gt 0 ]; then
        hd_die "sshd's effective configuration for $HD_SSH_USER lacks: \${missing[*]} (an earlier drop-in or a Match block overrides them)"
    fi
    mapfile -t allow_users < <(sed -n 's/^allowusers //p' "$1")
    mapfile -t deny_users < <(sed -n 's/^denyusers //p' "$1")
    mapfile -t allow_groups < <(sed -n 's/^allowgroups //p' "$1")
    mapfile -t deny_groups < <(sed -n 's/^denygroups //p' "$1")
    read -r -a groups <<<"$(id -nG "$HD_SSH_USER")"
    if [ "\${#allow_users[@]}" -gt 0 ] && ! hd_ssh_match "$HD_SSH_USER" "\${allow_users[@]}"; then
        hd_die "$HD_SSH_USER is not in sshd's effective AllowUsers (\${allow_users[*]}): it would be locked out"
    fi
    if [ "\${#deny_users[@]}" -gt 0 ] && hd_ssh_match "$HD_SSH_USER" "\${deny_users[@]}"; then
        hd_die "$HD_SSH_USER matches sshd's effective DenyUsers (\${deny_users[*]}): it would be locked out"
    fi
    if [ "\${#allow_groups[@]}" -gt 0 ]; then
        in_group=0
        for group in "\${groups[@]}"; do
            if hd_ssh_match "$group" "\${allow_groups[@]}"; then in_group=1; fi
        done
        if [ "$in_group" -eq 0 ]; then
            hd_die "$HD_SSH_USER (groups: \${groups[*]}) is in none of sshd's effective AllowGroups (\${allow_groups[*]}): it would be locked out"
        fi
    fi
    for group in "\${groups[@]}"; do
        if [ "\${#deny_groups[@]}" -gt 0 ] && hd_ssh_match "$group" "\${deny_groups[@]}"; then
            hd_die "$HD_SSH_USER's group $group matches sshd's effective DenyGroups (\${deny_groups[*]}): it would be locked out"
        fi
    done
}

# hd_ssh_restore: puts back the files this run replaced (after a failed check of the live config).
hd_ssh_restore() {
    local f name
    for f in "$DROPIN" "$IDLE_DROPIN" "$MAIN"; do
        name=$(basename "$f")
        if [ -e "$HD_TMP/prev/$name" ]; then
            cp -p "$HD_TMP/prev/$name" "$f.hd-new"
            mv -f "$f.hd-new" "$f"
        elif [ -e "$HD_TMP/prev/$name.absent" ]; then
            rm -f "$f"
        fi
    done
}

# hd_ssh_reload: makes the running sshd read its configuration again. A reload (SIGHUP), never a
# restart: open sessions, this one included, carry on.
hd_ssh_reload() {
    local unit pidfile pid=""
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
        for unit in ssh.service sshd.service; do
            if systemctl is-active --quiet "$unit"; then
                systemctl reload "$unit"
                sleep 1
                systemctl is-active --quiet "$unit" || hd_die "$unit is not active after its reload"
                hd_log "reloaded $unit"
                return 0
            fi
        done
        hd_log "no active ssh.service or sshd.service: sshd reads the new configuration when it starts"
        return 0
    fi
    pidfile=$(sed -n 's/^pidfile //p' "$HD_TMP/effective")
    if [ -n "$pidfile" ] && [ -s "$pidfile" ]; then
        read -r pid <"$pidfile" || true
    fi
    if [[ $pid =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sshd ]; then
        kill -HUP "$pid"
        sleep 1
        kill -0 "$pid" 2>/dev/null || hd_die "sshd (pid $pid) is gone after SIGHUP"
        hd_log "reloaded sshd (SIGHUP to pid $pid)"
    else
        hd_log "sshd is not running: it reads the new configuration when it starts"
    fi
}

# --- 1. Preflight: nothing changes unless the connection user keeps its way in ---
[ "$(id -u)" -eq 0 ] || hd_die "must run as root"
[ -x "$SSHD" ] || hd_die "OpenSSH's sshd is not installed ($SSHD): this step hardens it"
[ -f "$MAIN" ] || hd_die "$MAIN is missing"
[ "$HD_SSH_USER" != root ] || hd_die "the connection user is root, and this step turns root login off"
IFS=: read -r _ _ HD_SSH_UID HD_SSH_GID _ HD_SSH_HOME _ <<<"$(getent passwd "$HD_SSH_USER" || true)"
[ -n "$HD_SSH_HOME" ] || hd_die "the connection user $HD_SSH_USER does not exist"
if [ "\${#HD_SSH_ALLOW_GROUPS[@]}" -gt 0 ]; then
    read -r -a user_groups <<<"$(id -nG "$HD_SSH_USER")"
    in_group=0
    for group in "\${user_groups[@]}"; do
        for allowed in "\${HD_SSH_ALLOW_GROUPS[@]}"; do
            if [ "$group" = "$allowed" ]; then in_group=1; fi
        done
    done
    [ "$in_group" -eq 1 ] || hd_die "$HD_SSH_USER is in none of AllowGroups (\${HD_SSH_ALLOW_GROUPS[*]}): it would be locked out; add it to one, or name it in allowUsers"
fi
# sshd -t needs its privilege separation directory, which systemd creates when it starts ssh.service.
[ -d /run/sshd ] || install -d -m 0755 /run/sshd
if "$SSHD" -T -C "$SPEC" >"$HD_TMP/effective.before" 2>/dev/null; then
    hd_ssh_check_keys "$HD_TMP/effective.before"
fi
pending=0
if [ -e "$PENDING" ]; then pending=1; fi

# --- 2. The files, as rendered ---
${plan.banner !== undefined ? `${embedFile("banner", plan.banner)}\n` : ""}${embedFile("dropin.conf", dropIn.content)}
${embedFile("idle.conf", idle.content)}
${embedFile("expected-main", expected.main)}
${embedFile("expected-idle", expected.idle)}

# --- 3. Host keys: Ed25519 present, RSA of ${d.minRsaHostKeyBits} bits or more (ECDSA and DSA go once the config no longer names them) ---
if [ ! -s "$ED25519_KEY" ]; then
    rm -f "$ED25519_KEY" "$ED25519_KEY.pub"
    ssh-keygen -q -t ed25519 -N '' -f "$ED25519_KEY"
    hd_log "changed: created $ED25519_KEY"
    changed=1
fi
bits=0
if [ -s "$RSA_KEY" ]; then
    read -r bits _ <<<"$(ssh-keygen -l -f "$RSA_KEY" 2>/dev/null || echo 0)"
fi
if ! [[ $bits =~ ^[0-9]+$ ]] || [ "$bits" -lt ${d.minRsaHostKeyBits} ]; then
    rm -f "$RSA_KEY.hd-new" "$RSA_KEY.hd-new.pub"
    ssh-keygen -q -t rsa -b ${d.rsaHostKeyBits} -N '' -f "$RSA_KEY.hd-new"
    mv -f "$RSA_KEY.hd-new" "$RSA_KEY"
    mv -f "$RSA_KEY.hd-new.pub" "$RSA_KEY.pub"
    hd_log "changed: $RSA_KEY is a new ${d.rsaHostKeyBits}-bit key (was $bits bits); clients that pinned the old RSA host key must update known_hosts"
    changed=1
fi
if [ "$HD_SSH_BANNER" -eq 1 ]; then
    # Not read until the drop-in that names it is active.
    if hd_install_file "$HD_TMP/banner" "$BANNER" 0644 root:root; then changed=1; fi
fi

# --- 4. The candidate configuration: main file with the Include first, drop-ins in a copy of the tree ---
state=$(hd_ssh_include_state "$MAIN")
case $state in
ok) cp "$MAIN" "$HD_TMP/sshd_config.new" ;;
missing) { echo '${SSH_INCLUDE_LINE}'; cat "$MAIN"; } >"$HD_TMP/sshd_config.new" ;;
move*) { echo '${SSH_INCLUDE_LINE}'; sed "\${state#move }d" "$MAIN"; } >"$HD_TMP/sshd_config.new" ;;
esac
idle=0
if "$SSHD" -t -f /dev/null -h "$ED25519_KEY" -o "ChannelTimeout session:shell=60" -o "UnusedConnectionTimeout 60" 2>/dev/null; then
    idle=1
else
    hd_log "warning: this sshd predates OpenSSH 9.2 (no ChannelTimeout): idle shells are not closed"
fi
check=$HD_TMP/check
mkdir -p "$check/sshd_config.d"
for f in "$DROPIN_DIR"/*.conf; do
    if [ -e "$f" ]; then cp -p "$f" "$check/sshd_config.d/"; fi
done
rm -f "$check/sshd_config.d/$(basename "$DROPIN")" "$check/sshd_config.d/$(basename "$IDLE_DROPIN")"
cp "$HD_TMP/dropin.conf" "$check/sshd_config.d/$(basename "$DROPIN")"
cp "$HD_TMP/expected-main" "$HD_TMP/expected"
if [ "$idle" -eq 1 ]; then
    cp "$HD_TMP/idle.conf" "$check/sshd_config.d/$(basename "$IDLE_DROPIN")"
    cat "$HD_TMP/expected-idle" >>"$HD_TMP/expected"
fi
hd_ssh_rewrite_includes "$HD_TMP/sshd_config.new" "$check/sshd_config.d" >"$check/sshd_config"

# --- 5. Validate before anything is activated ---
# sshd names the files it read: name the real ones, not the copies.
if ! err=$("$SSHD" -t -f "$check/sshd_config" 2>&1); then
    err=\${err//"$check/sshd_config.d/"/"$DROPIN_DIR/"}
    hd_die "sshd -t rejects the new configuration, nothing was activated: \${err//"$check/"/"$(dirname "$MAIN")/"}"
fi
if ! "$SSHD" -T -f "$check/sshd_config" -C "$SPEC" >"$HD_TMP/effective" 2>"$HD_TMP/effective.err"; then
    err=$(cat "$HD_TMP/effective.err")
    err=\${err//"$check/sshd_config.d/"/"$DROPIN_DIR/"}
    hd_die "sshd -T fails on the new configuration, nothing was activated: \${err//"$check/"/"$(dirname "$MAIN")/"}"
fi
hd_ssh_check_effective "$HD_TMP/effective" "$HD_TMP/expected"
hd_ssh_check_keys "$HD_TMP/effective"

# --- 6. Activate: the drop-ins and the main file, then sshd -t on the live tree ---
mkdir -p "$(dirname "$PENDING")" "$HD_TMP/prev"
touch "$PENDING"
for f in "$DROPIN" "$IDLE_DROPIN" "$MAIN"; do
    if [ -e "$f" ]; then cp -p "$f" "$HD_TMP/prev/"; else touch "$HD_TMP/prev/$(basename "$f").absent"; fi
done
before=$changed
[ -d "$DROPIN_DIR" ] || install -d -m 0755 "$DROPIN_DIR"
if hd_install_file "$HD_TMP/dropin.conf" "$DROPIN" 0600 root:root; then changed=1; fi
if [ "$idle" -eq 1 ]; then
    if hd_install_file "$HD_TMP/idle.conf" "$IDLE_DROPIN" 0600 root:root; then changed=1; fi
elif [ -e "$IDLE_DROPIN" ]; then
    rm -f "$IDLE_DROPIN"
    hd_log "changed: removed $IDLE_DROPIN"
    changed=1
fi
if ! cmp -s "$HD_TMP/sshd_config.new" "$MAIN"; then
    if [ ! -e "$MAIN.hd-backup" ]; then cp -p "$MAIN" "$MAIN.hd-backup"; fi
    if hd_install_file "$HD_TMP/sshd_config.new" "$MAIN" "$(stat -c '%a' "$MAIN")" "$(stat -c '%U:%G' "$MAIN")"; then
        hd_log "changed: $MAIN includes $DROPIN_DIR/*.conf first (previous file: $MAIN.hd-backup)"
        changed=1
    fi
fi
if [ "$changed" != "$before" ] && ! err=$("$SSHD" -t 2>&1); then
    hd_ssh_restore
    hd_die "sshd -t rejects the installed configuration; the previous files are back: $err"
fi
if [ "$HD_SSH_BANNER" -eq 0 ] && [ -e "$BANNER" ]; then
    rm -f "$BANNER"
    hd_log "changed: removed $BANNER"
    changed=1
fi
for f in /etc/ssh/ssh_host_ecdsa_key /etc/ssh/ssh_host_ecdsa_key.pub /etc/ssh/ssh_host_dsa_key /etc/ssh/ssh_host_dsa_key.pub; do
    if [ -e "$f" ]; then
        rm -f "$f"
        hd_log "changed: removed $f"
        changed=1
    fi
done

# --- 7. DH moduli: no group under 3072 bits; the original stays as $MODULI.hd-backup ---
if [ -f "$MODULI" ]; then
    hd_ssh_filter_moduli "$MODULI" "$HD_TMP/moduli"
    if ! cmp -s "$HD_TMP/moduli" "$MODULI"; then
        [ "$HD_SSH_MODULI_KEPT" -gt 0 ] || hd_die "$MODULI has no DH group of 3072 bits or more; refusing to empty it (regenerate it with ssh-keygen -M generate)"
        if [ ! -e "$MODULI.hd-backup" ]; then cp -p "$MODULI" "$MODULI.hd-backup"; fi
        if hd_install_file "$HD_TMP/moduli" "$MODULI" 0644 root:root; then changed=1; fi
    fi
else
    hd_log "$MODULI is missing: sshd uses its built-in groups for group exchange"
fi

# --- 8. Reload (never restart) when something changed, or an earlier run did not get this far ---
if [ "$changed" -eq 1 ] || [ "$pending" -eq 1 ]; then
    hd_ssh_reload
fi
rm -f "$PENDING"
`;
    return {
        id: "ssh",
        title: "sshd: public-key login only, no root, allowed users only, idle shells closed, modern algorithms",
        cis: ["1.2.1"],
        script: prelude("ssh") + body,
        files,
        secret: false,
    };
}
