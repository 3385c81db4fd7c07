/**
 * Host hygiene (CIS Docker Benchmark v1.6.0 1.2.1: the host itself is hardened, here to the CIS
 * Debian Linux benchmark's values). The step keeps the account, SSH, cron, boot and audit files at
 * their expected modes and owners (HYGIENE_FILE_MODES), turns core dumps off, and gives login
 * shells a restrictive umask and an idle timeout. The file table is not an argument: the other
 * steps install some of those files themselves, and the table must agree with them.
 */
export interface HygieneArgs {
    /**
     * The umask of login shells (`/etc/profile.d`) and `UMASK` in `/etc/login.defs` (which sets the
     * mode of new home directories, and the session umask where pam_umask is enabled). Three or
     * four octal digits, the owner's digit 0; it must mask group and other write (`022`): `"022"`,
     * `"027"` or `"077"`. CIS 1.2.1.
     * @default "027" (new files: no group write, nothing for others)
     */
    umask?: string;
    /**
     * Seconds an interactive shell may wait for input before it exits (`TMOUT`, read-only, for
     * bash, ksh and zsh login shells; dash has no such timeout). A whole number from 60 to 86400.
     * CIS 1.2.1.
     * @default 900 (15 minutes)
     */
    idleTimeoutSeconds?: number;
}
