import { prelude } from "../shell";
import type { HostContext, HostStep } from "../step";
import { ACCOUNTS_DEFAULTS } from "./defaults";
import type { AccountsPlan } from "./validate";

/** The last line of the script: tests run the script without it and call its functions instead. */
export const ACCOUNTS_MAIN = "accounts_main";

/*
 * Reads the local files, not NSS: usermod and userdel change only local accounts, and a directory
 * account (LDAP, sssd) is not this host's to lock. Every change goes through usermod and userdel,
 * which keep passwd, shadow and their locks consistent; tests stand in for them (and pgrep) with
 * fake commands on PATH, and point the paths below at a temporary tree.
 */
const BODY = `
declare -a ACCOUNT_NAMES=() ACCOUNTS_UNLISTED=()
declare -A ACCOUNT_UID=() ACCOUNT_SHELL=() ACCOUNT_PASSWORD=() ACCOUNT_HOME=()
ACCOUNTS_UID_MIN=${ACCOUNTS_DEFAULTS.uidMin}

# accounts_uid_min: sets ACCOUNTS_UID_MIN, the first uid of a regular account: UID_MIN of
# login.defs (its last setting wins, as for useradd), ${ACCOUNTS_DEFAULTS.uidMin} when it has none. Pure bash and
# no command substitution: a failure in one would not stop the script (no inherit_errexit).
accounts_uid_min() {
    local key value found=""
    if [ -f "$ACCOUNTS_LOGIN_DEFS" ]; then
        while read -r key value _ || [ -n "$key" ]; do
            if [ "$key" = UID_MIN ]; then
                found=$value
            fi
        done <"$ACCOUNTS_LOGIN_DEFS"
    fi
    found=\${found:-${ACCOUNTS_DEFAULTS.uidMin}}
    [[ $found =~ ^[0-9]+$ ]] || hd_die "UID_MIN in $ACCOUNTS_LOGIN_DEFS is \\"$found\\", not a number"
    ACCOUNTS_UID_MIN=$found
}

# accounts_read: loads the local accounts into ACCOUNT_NAMES (file order) and ACCOUNT_UID,
# ACCOUNT_SHELL and ACCOUNT_PASSWORD (by name). The password is the shadow entry's, or the passwd
# entry's when shadow has none. An empty shell means /bin/sh (passwd(5)). NIS compat lines (+, -)
# are not accounts; of a repeated name the first entry counts, as for the tools.
# accounts_seal_home HOME UID: a removed account's home stays, owned by root and closed (0700),
# so that a later account given the freed uid cannot read it. Only the directory itself changes;
# "/", a link, or a directory another account still has as home is left as it is.
accounts_seal_home() {
    local home=$1 uid=$2 other gone
    [ -n "$home" ] && [ "$home" != / ] && [ -d "$home" ] && [ ! -L "$home" ] || return 0
    for other in "\${ACCOUNT_NAMES[@]}"; do
        [ "\${ACCOUNT_HOME[$other]}" = "$home" ] || continue
        for gone in "\${ACCOUNTS_UNLISTED[@]}"; do
            if [ "$gone" = "$other" ]; then continue 2; fi
        done
        return 0
    done
    chown root:root "$home"
    chmod 0700 "$home"
    hd_log "changed: $home is now root:root 0700 (uid $uid is free again and must not reach it)"
}

accounts_read() {
    local name pw uid home shell
    ACCOUNT_NAMES=()
    ACCOUNT_UID=()
    ACCOUNT_SHELL=()
    ACCOUNT_PASSWORD=()
    ACCOUNT_HOME=()
    while IFS=: read -r name pw uid _ _ home shell || [ -n "$name" ]; do
        case $name in
            '' | [+-]*) continue ;;
        esac
        [[ $uid =~ ^[0-9]+$ ]] || hd_die "the uid of $name in $ACCOUNTS_PASSWD is \\"$uid\\", not a number"
        if [ -n "\${ACCOUNT_UID[$name]+x}" ]; then
            continue
        fi
        ACCOUNT_NAMES+=("$name")
        ACCOUNT_UID[$name]=$uid
        ACCOUNT_SHELL[$name]=\${shell:-/bin/sh}
        ACCOUNT_PASSWORD[$name]=$pw
        ACCOUNT_HOME[$name]=$home
    done <"$ACCOUNTS_PASSWD"
    if [ -f "$ACCOUNTS_SHADOW" ]; then
        while IFS=: read -r name pw _ || [ -n "$name" ]; do
            if [ -n "$name" ] && [ -n "\${ACCOUNT_UID[$name]+x}" ]; then
                ACCOUNT_PASSWORD[$name]=$pw
            fi
        done <"$ACCOUNTS_SHADOW"
    fi
}

# accounts_is_login_shell SHELL: SHELL is listed in the shells file and is no nologin or false.
accounts_is_login_shell() {
    local line
    case \${1##*/} in
        nologin | false) return 1 ;;
    esac
    while read -r line _ || [ -n "$line" ]; do
        if [ "$line" = "$1" ]; then
            return 0
        fi
    done <"$ACCOUNTS_SHELLS"
    return 1
}

# accounts_is_exempt NAME: root and the listed accounts are never touched.
accounts_is_exempt() {
    local user
    if [ "$1" = root ]; then
        return 0
    fi
    for user in "\${ACCOUNTS_LOGIN_USERS[@]}"; do
        if [ "$user" = "$1" ]; then
            return 0
        fi
    done
    return 1
}

# accounts_is_system NAME: a uid below UID_MIN, or nobody's (65534, above every regular range).
accounts_is_system() {
    local uid=\${ACCOUNT_UID[$1]}
    [ "$uid" -lt "$ACCOUNTS_UID_MIN" ] || [ "$uid" -eq 65534 ]
}

# accounts_is_locked NAME: the password field cannot match any password (! or * first).
accounts_is_locked() {
    case \${ACCOUNT_PASSWORD[$1]} in
        '!'* | '*'*) return 0 ;;
    esac
    return 1
}

# accounts_unlisted: sets ACCOUNTS_UNLISTED to the regular accounts outside the list that have a
# login shell, in file order.
accounts_unlisted() {
    local name
    ACCOUNTS_UNLISTED=()
    for name in "\${ACCOUNT_NAMES[@]}"; do
        if accounts_is_exempt "$name" || accounts_is_system "$name"; then
            continue
        fi
        if accounts_is_login_shell "\${ACCOUNT_SHELL[$name]}"; then
            ACCOUNTS_UNLISTED+=("$name")
        fi
    done
}

# accounts_idle NAME: refuses to go on while the account has processes: userdel would leave them
# running under a uid that no longer has a name (and a later account could get it).
accounts_idle() {
    local status=0
    pgrep -u "\${ACCOUNT_UID[$1]}" >/dev/null || status=$?
    case $status in
        0) hd_die "account $1 has running processes, so it is not removed: stop them, or list it in args.accounts.loginUsers" ;;
        1) ;;
        *) hd_die "could not list the processes of account $1 (pgrep exited with $status)" ;;
    esac
}

# accounts_system: gives every system account outside the list a non-login shell and a locked
# password. Its files and processes stay: services run under these accounts without a login.
accounts_system() {
    local name shell
    for name in "\${ACCOUNT_NAMES[@]}"; do
        if accounts_is_exempt "$name" || ! accounts_is_system "$name"; then
            continue
        fi
        shell=\${ACCOUNT_SHELL[$name]}
        if accounts_is_login_shell "$shell"; then
            usermod -s "$ACCOUNTS_NOLOGIN" "$name"
            hd_log "changed: set the shell of system account $name to $ACCOUNTS_NOLOGIN (was $shell)"
        fi
        if ! accounts_is_locked "$name"; then
            usermod -L "$name"
            hd_log "changed: locked the password of system account $name"
        fi
    done
}

# accounts_verify: reads the files again; every system account outside the list has a non-login
# shell and a locked password, and no unlisted login account is left when they are removed.
accounts_verify() {
    local name
    accounts_read
    for name in "\${ACCOUNT_NAMES[@]}"; do
        if accounts_is_exempt "$name"; then
            continue
        fi
        if accounts_is_system "$name"; then
            if accounts_is_login_shell "\${ACCOUNT_SHELL[$name]}"; then
                hd_die "system account $name still has the login shell \${ACCOUNT_SHELL[$name]}"
            fi
            if ! accounts_is_locked "$name"; then
                hd_die "system account $name still has a usable password"
            fi
        elif [ "$ACCOUNTS_REMOVE_UNLISTED" = true ] && accounts_is_login_shell "\${ACCOUNT_SHELL[$name]}"; then
            hd_die "account $name still exists, with the login shell \${ACCOUNT_SHELL[$name]}"
        fi
    done
}

accounts_main() {
    local name
    [ -f "$ACCOUNTS_PASSWD" ] || hd_die "$ACCOUNTS_PASSWD does not exist"
    [ -f "$ACCOUNTS_SHELLS" ] || hd_die "$ACCOUNTS_SHELLS does not exist, so no shell counts as a login shell"
    accounts_uid_min
    accounts_read
    # Every listed account must exist, and no removal may be refused, before anything changes.
    for name in "\${ACCOUNTS_LOGIN_USERS[@]}"; do
        [ -n "\${ACCOUNT_UID[$name]+x}" ] || hd_die "user $name (args.accounts.loginUsers) does not exist on this host"
    done
    accounts_unlisted
    for name in "\${ACCOUNTS_UNLISTED[@]}"; do
        if [ "$ACCOUNTS_REMOVE_UNLISTED" = true ]; then
            accounts_idle "$name"
        else
            hd_log "unlisted login account: $name (uid \${ACCOUNT_UID[$name]}, shell \${ACCOUNT_SHELL[$name]}): list it in args.accounts.loginUsers, or set args.accounts.removeUnlisted"
        fi
    done
    accounts_system
    if [ "$ACCOUNTS_REMOVE_UNLISTED" = true ]; then
        for name in "\${ACCOUNTS_UNLISTED[@]}"; do
            # Never -r: the home directory and mail may hold the only copy of someone's data.
            userdel "$name"
            hd_log "changed: removed account $name (home directory kept)"
            accounts_seal_home "\${ACCOUNT_HOME[$name]}" "\${ACCOUNT_UID[$name]}"
        done
    fi
    accounts_verify
}
`;

/**
 * The accounts step: system accounts have no login shell and a locked password, and the regular
 * accounts outside the list that can log in are reported or removed (CIS 1.2.1).
 */
export function renderAccounts(plan: AccountsPlan, _ctx: HostContext): HostStep {
    const keep = ["root", ...plan.loginUsers].join(", ");
    const script = [
        prelude("accounts"),
        "# The files the step reads; usermod and userdel write them.",
        "ACCOUNTS_PASSWD=/etc/passwd",
        "ACCOUNTS_SHADOW=/etc/shadow",
        "ACCOUNTS_LOGIN_DEFS=/etc/login.defs",
        "ACCOUNTS_SHELLS=/etc/shells",
        "# The shell system accounts get.",
        `ACCOUNTS_NOLOGIN=${ACCOUNTS_DEFAULTS.noLoginShell}`,
        "# The accounts that keep their login besides root (args.accounts.loginUsers and the deployment user), sorted.",
        `ACCOUNTS_LOGIN_USERS=(${plan.loginUsers.join(" ")})`,
        "# Remove the unlisted login accounts (true), or only report them (false): args.accounts.removeUnlisted.",
        `ACCOUNTS_REMOVE_UNLISTED=${String(plan.removeUnlisted)}`,
        BODY,
        ACCOUNTS_MAIN,
        "",
    ].join("\n");
    return {
        id: "accounts",
        title: `System accounts have no login shell and a locked password; login accounts other than ${keep} are ${
            plan.removeUnlisted ? "removed (home directories kept)" : "reported"
        }`,
        cis: ["1.2.1"],
        script,
        files: [],
        secret: false,
    };
}
