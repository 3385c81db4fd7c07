/** One row of the file table: a path (or a glob), the mode and owner it must have, and why. */
export interface HygieneFileMode {
    /** Absolute; may hold `*` (`/etc/ssh/ssh_host_*_key`), which the script expands (no match, no file). */
    readonly path: string;
    /** `dir` changes only the directory itself, never its content. */
    readonly kind: "file" | "dir";
    /** Octal, four digits. */
    readonly mode: string;
    /** `user:group`. */
    readonly owner: string;
    /** The script stops when a required path is missing; the others are set when present. */
    readonly required: boolean;
    readonly why: string;
}

function entry(
    path: string,
    kind: "file" | "dir",
    mode: string,
    owner: string,
    required: boolean,
    why: string,
): HygieneFileMode {
    return Object.freeze({ path, kind, mode, owner, required, why });
}

const OPTIONAL = false;
const REQUIRED = true;

/**
 * The modes and owners the step sets and keeps, with the CIS Debian Linux 12 benchmark's values.
 * Where another step installs one of these files, the value here is the one that step installs
 * (the ssh step's drop-ins at 0600, the audit step's rules at 0640), and where a daemon sets a
 * file's mode itself, the value is the daemon's (auditd chmods and chowns its log to root and
 * `log_group`, which Debian sets to `adm`, each time it opens it): otherwise every run of one would
 * undo the other, and no run would be clean.
 */
export const HYGIENE_FILE_MODES: readonly HygieneFileMode[] = Object.freeze([
    entry(
        "/etc/passwd",
        "file",
        "0644",
        "root:root",
        REQUIRED,
        "Accounts, uids and shells: everyone reads it (ls, id), only root may write it.",
    ),
    entry(
        "/etc/passwd-",
        "file",
        "0644",
        "root:root",
        OPTIONAL,
        "The shadow tools' backup of /etc/passwd, at the mode they copy from it.",
    ),
    entry(
        "/etc/group",
        "file",
        "0644",
        "root:root",
        REQUIRED,
        "Group members, the docker group's among them: a writable copy would hand out root.",
    ),
    entry(
        "/etc/group-",
        "file",
        "0644",
        "root:root",
        OPTIONAL,
        "The shadow tools' backup of /etc/group, at the mode they copy from it.",
    ),
    entry(
        "/etc/shadow",
        "file",
        "0640",
        "root:shadow",
        REQUIRED,
        "Password hashes: root and the shadow group (unix_chkpwd, for screen lockers) only.",
    ),
    entry("/etc/shadow-", "file", "0640", "root:shadow", OPTIONAL, "The backup of /etc/shadow holds the same hashes."),
    entry(
        "/etc/gshadow",
        "file",
        "0640",
        "root:shadow",
        REQUIRED,
        "Group passwords and administrators: root and the shadow group only.",
    ),
    entry("/etc/gshadow-", "file", "0640", "root:shadow", OPTIONAL, "The backup of /etc/gshadow holds the same data."),
    entry(
        "/etc/shells",
        "file",
        "0644",
        "root:root",
        OPTIONAL,
        "The login shells chsh and some daemons accept: only root may add one.",
    ),
    entry(
        "/etc/security/opasswd",
        "file",
        "0600",
        "root:root",
        OPTIONAL,
        "Old password hashes kept by pam_pwhistory: root only.",
    ),
    entry(
        "/etc/ssh/sshd_config",
        "file",
        "0600",
        "root:root",
        REQUIRED,
        "sshd's access policy: root only (the ssh step keeps the file's mode when it edits it).",
    ),
    entry(
        "/etc/ssh/sshd_config.d",
        "dir",
        "0755",
        "root:root",
        OPTIONAL,
        "Debian's mode, and the one the ssh step creates it with; each drop-in in it is 0600.",
    ),
    entry(
        "/etc/ssh/sshd_config.d/*.conf",
        "file",
        "0600",
        "root:root",
        OPTIONAL,
        "Drop-ins decide sshd's settings (the first value read wins): root only, as the ssh step installs its own.",
    ),
    entry(
        "/etc/ssh/ssh_host_*_key",
        "file",
        "0600",
        "root:root",
        OPTIONAL,
        "Host private keys: whoever reads one can pose as this host.",
    ),
    entry(
        "/etc/ssh/ssh_host_*_key.pub",
        "file",
        "0644",
        "root:root",
        OPTIONAL,
        "Host public keys: public, but only root may replace them.",
    ),
    entry(
        "/etc/crontab",
        "file",
        "0600",
        "root:root",
        OPTIONAL,
        "The system crontab runs commands as any user: root only reads or writes it.",
    ),
    entry(
        "/etc/cron.hourly",
        "dir",
        "0700",
        "root:root",
        OPTIONAL,
        "Scripts run as root every hour: nobody else may list or add them.",
    ),
    entry(
        "/etc/cron.daily",
        "dir",
        "0700",
        "root:root",
        OPTIONAL,
        "Scripts run as root every day: nobody else may list or add them.",
    ),
    entry(
        "/etc/cron.weekly",
        "dir",
        "0700",
        "root:root",
        OPTIONAL,
        "Scripts run as root every week: nobody else may list or add them.",
    ),
    entry(
        "/etc/cron.monthly",
        "dir",
        "0700",
        "root:root",
        OPTIONAL,
        "Scripts run as root every month: nobody else may list or add them.",
    ),
    entry(
        "/etc/cron.yearly",
        "dir",
        "0700",
        "root:root",
        OPTIONAL,
        "Scripts run as root every year: nobody else may list or add them.",
    ),
    entry(
        "/etc/cron.d",
        "dir",
        "0700",
        "root:root",
        OPTIONAL,
        "Crontabs that name the user they run as: nobody but root may list or add them.",
    ),
    entry(
        "/boot",
        "dir",
        "0755",
        "root:root",
        OPTIONAL,
        "Debian's mode: only root writes kernels and initrds; 0700 would hide nothing uname does not tell, and breaks tools that read the kernel as a user.",
    ),
    entry(
        "/boot/grub/grub.cfg",
        "file",
        "0400",
        "root:root",
        OPTIONAL,
        "The boot configuration, with the boot password's hash when there is one: root only (root writes it regardless of mode).",
    ),
    entry(
        "/etc/audit",
        "dir",
        "0750",
        "root:root",
        OPTIONAL,
        "auditd's configuration: the package's mode; users may not read what is watched.",
    ),
    entry(
        "/etc/audit/*.conf",
        "file",
        "0640",
        "root:root",
        OPTIONAL,
        "auditd.conf: what auditd does when its disk fills, and where it logs.",
    ),
    entry(
        "/etc/audit/*.rules",
        "file",
        "0640",
        "root:root",
        OPTIONAL,
        "The loaded rules (augenrules writes audit.rules at 0640).",
    ),
    entry(
        "/etc/audit/rules.d",
        "dir",
        "0750",
        "root:root",
        OPTIONAL,
        "The rule sources augenrules assembles: the package's mode.",
    ),
    entry(
        "/etc/audit/rules.d/*.rules",
        "file",
        "0640",
        "root:root",
        OPTIONAL,
        "Rule sources, the audit step's own among them (it installs them at 0640).",
    ),
    entry("/etc/audit/plugins.d", "dir", "0750", "root:root", OPTIONAL, "auditd's plugins: the package's mode."),
    entry(
        "/etc/audit/plugins.d/*.conf",
        "file",
        "0640",
        "root:root",
        OPTIONAL,
        "Plugins auditd starts as root: root writes them, nobody else reads them.",
    ),
    entry(
        "/var/log/audit",
        "dir",
        "0750",
        "root:adm",
        OPTIONAL,
        "Debian's mode, as auditd keeps it for log_group = adm: the adm group reads the logs, nobody writes but auditd.",
    ),
    entry(
        "/var/log/audit/audit.log*",
        "file",
        "0640",
        "root:adm",
        OPTIONAL,
        "auditd sets this itself at every open for log_group = adm (Debian's auditd.conf): another value would be undone at each rotation.",
    ),
]);

/**
 * Secure defaults of the hygiene step's arguments. Each is a security decision; each says why.
 */
export const HYGIENE_DEFAULTS = Object.freeze({
    /**
     * `027`, the CIS value: files a user creates are not writable by the group and not readable by
     * others, unless the user says so. Debian's `022` leaves every new file world-readable.
     */
    umask: "027",
    /** 15 minutes: a forgotten root shell on a jump host does not stay open for the next person. */
    idleTimeoutSeconds: 900,
});
