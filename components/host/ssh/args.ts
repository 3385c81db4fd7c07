/**
 * The SSH hardening step of HardenedHost (CIS Docker 1.2.1: the container host is hardened). Every
 * field is optional; the defaults are the secure choice. Login is by public key only, never as root,
 * and the deployment's own user (`args.target.user`) is always allowed, so the step cannot lock it out.
 */
export interface SshArgs {
    /**
     * Users allowed to log in (`AllowUsers`). The connection user is always added. Plain user names
     * only, no patterns; `root` is refused (root login is off). Unset with `allowGroups` given means
     * no `AllowUsers` line: the groups decide.
     * @default [] (only the connection user) when `allowGroups` is unset
     */
    allowUsers?: string[];
    /**
     * Groups whose members may log in (`AllowGroups`). The connection user must be in one of them
     * (the script checks on the host and refuses otherwise), also when `allowUsers` is given, since
     * sshd then requires both.
     * @default unset (no `AllowGroups` line)
     */
    allowGroups?: string[];
    /**
     * Authentication attempts per connection (`MaxAuthTries`), 1 to 6.
     * @default 3
     */
    maxAuthTries?: number;
    /**
     * Seconds a connection may take to authenticate (`LoginGraceTime`), 10 to 120.
     * @default 30
     */
    loginGraceTimeSeconds?: number;
    /**
     * Sessions per network connection (`MaxSessions`), 1 to 10.
     * @default 10
     */
    maxSessions?: number;
    /**
     * Concurrent unauthenticated connections (`MaxStartups`): `start:rate:full` (random early drop
     * from `start`, `rate` percent of new ones refused, all refused at `full`).
     * @default "10:30:60"
     */
    maxStartups?: string;
    /**
     * Minutes after which an idle interactive shell is closed (`ChannelTimeout session:shell=…`, and
     * `UnusedConnectionTimeout` for a connection left with no channel), 1 to 1440. Commands
     * (`session:command`, how deployments run their steps) are not timed out. Needs OpenSSH 9.2 or
     * later; on older sshd (Ubuntu 22.04's 8.9) the script skips it with a warning.
     * @default 15
     */
    idleTimeoutMinutes?: number;
    /**
     * Key exchange algorithms (`KexAlgorithms`), in order of preference, from:
     * sntrup761x25519-sha512@openssh.com, curve25519-sha256, curve25519-sha256@libssh.org,
     * diffie-hellman-group-exchange-sha256, diffie-hellman-group16-sha512, diffie-hellman-group18-sha512.
     * @default the first four
     */
    kexAlgorithms?: string[];
    /**
     * Ciphers (`Ciphers`), in order of preference, from: chacha20-poly1305@openssh.com,
     * aes256-gcm@openssh.com, aes128-gcm@openssh.com, aes256-ctr, aes192-ctr, aes128-ctr.
     * @default all six, in that order
     */
    ciphers?: string[];
    /**
     * MACs (`MACs`), in order of preference, from: hmac-sha2-512-etm@openssh.com,
     * hmac-sha2-256-etm@openssh.com, umac-128-etm@openssh.com (encrypt-then-MAC only).
     * @default all three, in that order
     */
    macs?: string[];
    /**
     * Host key signature algorithms offered (`HostKeyAlgorithms`), in order of preference, from:
     * ssh-ed25519, rsa-sha2-512, rsa-sha2-256, and their `-cert-v01@openssh.com` forms.
     * @default ["ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256"]
     */
    hostKeyAlgorithms?: string[];
    /**
     * Text shown before login (`Banner`), for example a legal notice. Printable ASCII and newlines,
     * at most 2048 characters. Installed as `/etc/ssh/hardened-docker-banner`.
     * @default unset (no banner)
     */
    banner?: string;
}
