import { embedFile, prelude } from "../shell";
import type { HostContext, HostStep, RenderedFile } from "../step";
import type { HygieneFileMode } from "./defaults";
import type { HygienePlan } from "./validate";

/** No core dumps for login sessions (pam_limits reads it at each session's start). */
export const HYGIENE_LIMITS_PATH = "/etc/security/limits.d/hardened-docker-coredump.conf";

/** systemd-coredump keeps nothing (read at each crash, where systemd-coredump is installed). */
export const HYGIENE_COREDUMP_PATH = "/etc/systemd/coredump.conf.d/hardened-docker.conf";

/** The umask and idle timeout of login shells (sourced by /etc/profile in dash and bash). */
export const HYGIENE_PROFILE_PATH = "/etc/profile.d/hardened-docker-shell.sh";

/** The file whose UMASK line the step sets; every other line is left as it is. */
export const HYGIENE_LOGIN_DEFS_PATH = "/etc/login.defs";

/** The last line of the script: tests run the script without it and call its functions instead. */
export const HYGIENE_MAIN = "hygiene_main";

const HEADER = "# Rendered by hardened-docker; edits on the host are overwritten.";

/**
 * The limits.d file. pam_limits does not apply a `*` line to root, so root has its own. Set-uid
 * programs are the kernel step's (`fs.suid_dumpable = 0`); services, which are no PAM sessions,
 * are covered by the coredump.conf.d drop-in where systemd-coredump catches crashes.
 */
export function renderHygieneLimits(): string {
    return [
        "# hardened-docker: no core dumps from login sessions (CIS Docker Benchmark v1.6.0 1.2.1): a core",
        "# dump is the process's memory, with the passwords, keys and tokens in it.",
        '# pam_limits does not apply "*" to root, hence the second line. Set-uid programs are covered by',
        "# fs.suid_dumpable = 0 (the kernel step), crashes that systemd-coredump catches by its drop-in.",
        HEADER,
        "*       hard    core    0",
        "root    hard    core    0",
        "",
    ].join("\n");
}

/** The coredump.conf.d drop-in: nothing is stored, nothing is even processed. */
export function renderHygieneCoredump(): string {
    return [
        "# hardened-docker: systemd-coredump neither stores nor processes core dumps (CIS Docker",
        "# Benchmark v1.6.0 1.2.1). Read where systemd-coredump is the kernel's core_pattern.",
        HEADER,
        "[Coredump]",
        "Storage=none",
        "ProcessSizeMax=0",
        "",
    ].join("\n");
}

/**
 * The profile.d file, POSIX sh. TMOUT is assigned in a subshell first: when it is already
 * read-only (the file sourced twice, or a value set before), the failed assignment and its message
 * stay in the subshell, and the value it has is kept.
 */
export function renderHygieneProfile(plan: HygienePlan): string {
    return [
        `# hardened-docker: login shells create files with umask ${plan.umask} (never writable by group or`,
        `# others), and close after ${plan.idleTimeoutSeconds} seconds without input (CIS Docker Benchmark`,
        "# v1.6.0 1.2.1). POSIX sh: dash and bash source it from /etc/profile; dash has no TMOUT.",
        HEADER,
        `umask ${plan.umask}`,
        "# Read-only, so a user cannot turn the timeout off; an existing read-only TMOUT is kept.",
        `if (TMOUT=${plan.idleTimeoutSeconds}) 2>/dev/null; then`,
        `    TMOUT=${plan.idleTimeoutSeconds}`,
        "    readonly TMOUT",
        "    export TMOUT",
        "fi",
        "",
    ].join("\n");
}

/** One line of the script's table: `kind mode owner required|optional path`. */
function tableLine(e: HygieneFileMode): string {
    if (
        !/^\/[A-Za-z0-9._\/*-]+$/.test(e.path) ||
        e.path.split("/").includes("..") ||
        (e.required && e.path.includes("*")) ||
        (e.kind !== "file" && e.kind !== "dir") ||
        !/^0[0-7]{3}$/.test(e.mode) ||
        !/^[a-z_][a-z0-9_-]*:[a-z_][a-z0-9_-]*$/.test(e.owner)
    ) {
        throw new Error(`cannot render the file mode entry ${JSON.stringify(e)}`);
    }
    return `    "${e.kind} ${e.mode} ${e.owner} ${e.required ? "required" : "optional"} ${e.path}"`;
}

const BODY = `
# hygiene_required: every required path exists, before anything changes.
hygiene_required() {
    local entry kind mode owner need path
    for entry in "\${HYGIENE_MODES[@]}"; do
        read -r kind mode owner need path <<<"$entry"
        if [ "$need" = required ] && [ ! -e "$HYGIENE_ROOT$path" ] && [ ! -L "$HYGIENE_ROOT$path" ]; then
            hd_die "$path does not exist; the hygiene step requires it"
        fi
    done
}

# hygiene_fix KIND MODE OWNER PATH: gives PATH its owner, then its mode (chown clears set-id bits),
# when either differs. Never through a symbolic link: chmod would follow it to whatever it points at.
hygiene_fix() {
    local kind=$1 mode=$2 owner=$3 path=$4 shown want got
    shown=\${path#"$HYGIENE_ROOT"}
    if [ -L "$path" ] || [ "$(readlink -f -- "$path")" != "$path" ]; then
        hd_log "skipped: $shown is a symbolic link or lies behind one, which this step does not follow"
        return 0
    fi
    if [ "$kind" = dir ] && [ ! -d "$path" ]; then
        hd_die "$shown is not a directory"
    fi
    if [ "$kind" = file ] && [ ! -f "$path" ]; then
        hd_die "$shown is not a regular file"
    fi
    want="$(printf '%o' "$((8#$mode))") $owner"
    got=$(stat -c '%a %U:%G' "$path")
    [ "$got" != "$want" ] || return 0
    chown -h "$owner" "$path"
    # The extra leading 0 clears a directory's set-id bits too (GNU chmod keeps them for 0750).
    chmod "0$mode" "$path"
    got=$(stat -c '%a %U:%G' "$path")
    [ "$got" = "$want" ] || hd_die "$shown is $got after chown and chmod, expected $want"
    hd_log "changed: $shown $mode $owner"
}

# hygiene_modes: walks the table; a glob expands to the paths it matches (none: nothing to do).
hygiene_modes() {
    local entry kind mode owner need pattern path
    local -a paths
    for entry in "\${HYGIENE_MODES[@]}"; do
        read -r kind mode owner need pattern <<<"$entry"
        shopt -s nullglob
        # The root is quoted, so only the table's own * are patterns; table paths have no spaces.
        # shellcheck disable=SC2206
        paths=("$HYGIENE_ROOT"$pattern)
        shopt -u nullglob
        for path in "\${paths[@]}"; do
            if [ -e "$path" ] || [ -L "$path" ]; then
                hygiene_fix "$kind" "$mode" "$owner" "$path"
            fi
        done
    done
}

# hygiene_installed SRC DEST MODE OWNER: DEST is SRC, with MODE and OWNER. hd_install_file runs in
# a condition, where set -e does not hold: a failed install would otherwise pass unnoticed.
hygiene_installed() {
    if ! cmp -s "$1" "$2" || [ "$(stat -c '%a %U:%G' "$2")" != "$(printf '%o' "$((8#$3))") $4" ]; then
        hd_die "\${2#"$HYGIENE_ROOT"} is not as rendered after installing it"
    fi
}

# hygiene_shell_check FILE: FILE parses as POSIX sh, and a shell that sources it twice has the
# umask and TMOUT it sets, with nothing on stderr.
hygiene_shell_check() {
    local out
    sh -n "$1" || hd_die "sh -n rejects the new $HYGIENE_PROFILE; the previous one is left in place"
    out=$(sh -c '. "$1"; . "$1"; umask; printf "%s\\n" "$TMOUT"' _ "$1" 2>&1) ||
        hd_die "sh fails to source the new $HYGIENE_PROFILE: $out"
    [ "$out" = "$HYGIENE_UMASK"$'\\n'"$HYGIENE_TMOUT" ] ||
        hd_die "a shell that sources the new $HYGIENE_PROFILE has umask and TMOUT \\"\${out//$'\\n'/ }\\", expected \\"$HYGIENE_UMASK $HYGIENE_TMOUT\\""
}

# hygiene_login_defs_render IN OUT: IN with the value of every UMASK line set to HYGIENE_UMASK (the
# shadow tools keep the last one), or a UMASK line appended when there is none. Every other byte
# is kept, a missing final newline included.
hygiene_login_defs_render() {
    local line nl found=0 re='^([[:space:]]*UMASK[[:space:]]+)[^[:space:]]*(.*)$'
    : >"$2"
    while true; do
        if IFS= read -r line; then
            nl=$'\\n'
        elif [ -n "$line" ]; then
            nl=""
        else
            break
        fi
        if [[ $line =~ $re ]]; then
            line="\${BASH_REMATCH[1]}$HYGIENE_UMASK\${BASH_REMATCH[2]}"
            found=1
        fi
        printf '%s%s' "$line" "$nl" >>"$2"
        [ -n "$nl" ] || break
    done <"$1"
    if [ "$found" = 0 ]; then
        if [ -s "$2" ] && [ -n "$(tail -c 1 "$2")" ]; then
            printf '\\n' >>"$2"
        fi
        printf 'UMASK\\t\\t%s\\n' "$HYGIENE_UMASK" >>"$2"
    fi
}

# hygiene_login_defs: sets UMASK in login.defs in place (same owner and mode), when it differs.
hygiene_login_defs() {
    local defs=$HYGIENE_ROOT$HYGIENE_LOGIN_DEFS
    [ -f "$defs" ] || hd_die "$HYGIENE_LOGIN_DEFS does not exist (Debian's login package ships it)"
    hygiene_login_defs_render "$defs" "$HD_TMP/login.defs"
    cmp -s "$HD_TMP/login.defs" "$defs" && return 0
    cp -p "$defs" "$defs.hd-new"
    cat "$HD_TMP/login.defs" >"$defs.hd-new"
    mv -f "$defs.hd-new" "$defs"
    hd_log "changed: $HYGIENE_LOGIN_DEFS UMASK $HYGIENE_UMASK"
}
`;

/**
 * The hygiene step: file modes and owners from the table, core dumps off, and the umask and idle
 * timeout of login shells (CIS 1.2.1). Every path is under `HYGIENE_ROOT`, which tests point at a
 * temporary tree.
 */
export function renderHygiene(plan: HygienePlan, _ctx: HostContext): HostStep {
    const limits: RenderedFile = {
        path: HYGIENE_LIMITS_PATH,
        mode: "0644",
        owner: "root:root",
        content: renderHygieneLimits(),
    };
    const coredump: RenderedFile = {
        path: HYGIENE_COREDUMP_PATH,
        mode: "0644",
        owner: "root:root",
        content: renderHygieneCoredump(),
    };
    const profile: RenderedFile = {
        path: HYGIENE_PROFILE_PATH,
        mode: "0644",
        owner: "root:root",
        content: renderHygieneProfile(plan),
    };
    const install = (name: string, variable: string, f: RenderedFile) => [
        `    hd_install_file "$HD_TMP/${name}" "$HYGIENE_ROOT$${variable}" ${f.mode} ${f.owner} || true`,
        `    hygiene_installed "$HD_TMP/${name}" "$HYGIENE_ROOT$${variable}" ${f.mode} ${f.owner}`,
    ];
    const script = [
        prelude("hygiene"),
        "# Where the host's files are looked up and written; tests point HYGIENE_ROOT at a fake tree.",
        'HYGIENE_ROOT=""',
        `HYGIENE_LIMITS=${HYGIENE_LIMITS_PATH}`,
        `HYGIENE_COREDUMP=${HYGIENE_COREDUMP_PATH}`,
        `HYGIENE_PROFILE=${HYGIENE_PROFILE_PATH}`,
        `HYGIENE_LOGIN_DEFS=${HYGIENE_LOGIN_DEFS_PATH}`,
        "# The umask (args.hygiene.umask) and the idle timeout (args.hygiene.idleTimeoutSeconds).",
        `HYGIENE_UMASK=${plan.umask}`,
        `HYGIENE_TMOUT=${plan.idleTimeoutSeconds}`,
        "# kind, mode, owner, required or optional, path or glob (HYGIENE_FILE_MODES).",
        "HYGIENE_MODES=(",
        ...plan.files.map(tableLine),
        ")",
        "",
        embedFile("limits.conf", limits.content),
        embedFile("coredump.conf", coredump.content),
        embedFile("profile.sh", profile.content),
        BODY,
        "hygiene_main() {",
        "    hygiene_required",
        "    hygiene_modes",
        ...install("limits.conf", "HYGIENE_LIMITS", limits),
        ...install("coredump.conf", "HYGIENE_COREDUMP", coredump),
        '    hygiene_shell_check "$HD_TMP/profile.sh"',
        ...install("profile.sh", "HYGIENE_PROFILE", profile),
        "    hygiene_login_defs",
        "}",
        "",
        HYGIENE_MAIN,
        "",
    ].join("\n");
    return {
        id: "hygiene",
        title: `Account, SSH, cron, boot and audit files at CIS modes; core dumps off; login shells with umask ${plan.umask} and a ${plan.idleTimeoutSeconds} s idle timeout`,
        cis: ["1.2.1"],
        script,
        files: [limits, coredump, profile],
        secret: false,
    };
}
