/**
 * Secure defaults of the SSH step. Each is a security decision; each says why.
 */
export const SSH_DEFAULTS = Object.freeze({
    /** Half of sshd's 6: a key-only login needs one or two tries; guessing gets few per connection. */
    maxAuthTries: 3,
    /** A quarter of sshd's 120 s: enough for a key login, short for a slow-loris on the pre-auth slots. */
    loginGraceTimeSeconds: 30,
    /** CIS Linux's ceiling and sshd's own value: multiplexing clients open several sessions on one connection. */
    maxSessions: 10,
    /** Random early drop from 10 unauthenticated connections, all refused at 60 (CIS Linux): floods starve nothing. */
    maxStartups: "10:30:60",
    /** An unattended shell is closed after 15 minutes without traffic (a common audit requirement). */
    idleTimeoutMinutes: 15,
    /**
     * Dead-peer detection, not an idle timeout: a client that answers nothing for 3 × 300 s is
     * dropped. A live client answers these probes by itself, so they never end an idle session.
     */
    clientAliveIntervalSeconds: 300,
    /** Unanswered probes before the drop: 3 × 300 s rides out a network blip, ends a vanished client. */
    clientAliveCountMax: 3,
    /** Post-quantum hybrid first, then X25519, then group exchange over the filtered (≥ 3072-bit) moduli. */
    kexAlgorithms: Object.freeze([
        "sntrup761x25519-sha512@openssh.com",
        "curve25519-sha256",
        "curve25519-sha256@libssh.org",
        "diffie-hellman-group-exchange-sha256",
    ]),
    /** AEAD ciphers first; CTR modes for older clients. No CBC, no 3DES, no arcfour. */
    ciphers: Object.freeze([
        "chacha20-poly1305@openssh.com",
        "aes256-gcm@openssh.com",
        "aes128-gcm@openssh.com",
        "aes256-ctr",
        "aes192-ctr",
        "aes128-ctr",
    ]),
    /** Encrypt-then-MAC only; no SHA-1, no 64-bit tags. */
    macs: Object.freeze(["hmac-sha2-512-etm@openssh.com", "hmac-sha2-256-etm@openssh.com", "umac-128-etm@openssh.com"]),
    /** Ed25519, then RSA with SHA-2 (the RSA key is at least 3072 bits); never ECDSA on NIST curves or ssh-rsa (SHA-1). */
    hostKeyAlgorithms: Object.freeze(["ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256"]),
    /** Bits of a generated RSA host key: above the 3072 floor, as ssh-audit recommends. */
    rsaHostKeyBits: 4096,
    /** Smallest RSA host key kept; a smaller one is regenerated. */
    minRsaHostKeyBits: 3072,
    /** Smallest DH group kept in /etc/ssh/moduli: field 5 is the size minus one, so 3071 means 3072 bits. */
    minModuliField: 3071,
});
