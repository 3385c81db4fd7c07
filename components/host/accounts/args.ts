/**
 * Which accounts may log in (CIS Docker Benchmark v1.6.0 1.2.1, "the container host has been
 * hardened": accounts that have nothing to do with running the host are locked or removed). Every
 * system account (uid below UID_MIN of /etc/login.defs, and nobody) that is not listed gets the
 * shell /usr/sbin/nologin and a locked password. A regular account (uid UID_MIN and above) that has
 * a login shell and is not listed is reported, or removed when `removeUnlisted` is set. Root and the
 * SSH user the deployment connects as are never touched.
 */
export interface AccountsArgs {
    /**
     * The accounts, by name, that keep their login shell and password besides root and the
     * deployment user (which the step always adds: the steps run through it). Each must exist in
     * /etc/passwd. List here a system account whose shell something relies on (`su postgres -c`):
     * otherwise it gets nologin and a locked password. CIS 1.2.1.
     * @default [] (only root and the deployment user keep a login)
     */
    loginUsers?: string[];
    /**
     * Remove (`userdel`, without `-r`: the home directory and mail are kept) every regular account
     * that has a login shell and is not listed; the step refuses while such an account has running
     * processes. When false, those accounts are only reported in the step's output. CIS 1.2.1.
     * @default false (report only: removing an account is not undone by removing it from the list)
     */
    removeUnlisted?: boolean;
}
