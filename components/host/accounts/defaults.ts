/**
 * Secure defaults of the accounts step. Each is a security decision; each says why.
 */
export const ACCOUNTS_DEFAULTS = Object.freeze({
    /**
     * Nobody besides root and the deployment user: every other account that can log in is one more
     * password or key to steal, and a host that only runs containers needs none (CIS 1.2.1).
     */
    loginUsers: Object.freeze([]) as readonly string[],
    /**
     * Report, do not remove: deleting an account is a step the owner of the host takes knowingly,
     * and a missing entry in `loginUsers` must not be enough to delete someone.
     */
    removeUnlisted: false,
    /** The shell system accounts get: it refuses the login politely, and is not in /etc/shells. */
    noLoginShell: "/usr/sbin/nologin",
    /**
     * The first uid of a regular account when /etc/login.defs does not set UID_MIN: the value
     * useradd itself falls back to, so the step and useradd agree on what a system account is.
     */
    uidMin: 1000,
});
