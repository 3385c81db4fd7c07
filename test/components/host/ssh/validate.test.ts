import * as assert from "node:assert/strict";
import { ArgumentError } from "../../../../components/common/errors";
import type { HostContext } from "../../../../components/host/step";
import type { SshArgs } from "../../../../components/host/ssh";
import { SSH_DEFAULTS, validateSshArgs, type SshPlan } from "../../../../components/host/ssh";
import { CTX } from "./fixtures";

export const DEFAULT_PLAN: SshPlan = {
    allowUsers: ["deploy"],
    allowGroups: undefined,
    maxAuthTries: 3,
    loginGraceTimeSeconds: 30,
    maxSessions: 10,
    maxStartups: "10:30:60",
    idleTimeoutMinutes: 15,
    kexAlgorithms: [
        "sntrup761x25519-sha512@openssh.com",
        "curve25519-sha256",
        "curve25519-sha256@libssh.org",
        "diffie-hellman-group-exchange-sha256",
    ],
    ciphers: [
        "chacha20-poly1305@openssh.com",
        "aes256-gcm@openssh.com",
        "aes128-gcm@openssh.com",
        "aes256-ctr",
        "aes192-ctr",
        "aes128-ctr",
    ],
    macs: ["hmac-sha2-512-etm@openssh.com", "hmac-sha2-256-etm@openssh.com", "umac-128-etm@openssh.com"],
    hostKeyAlgorithms: ["ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256"],
    banner: undefined,
};

const KEX_ALLOWED =
    "sntrup761x25519-sha512@openssh.com, curve25519-sha256, curve25519-sha256@libssh.org, diffie-hellman-group-exchange-sha256, diffie-hellman-group16-sha512, diffie-hellman-group18-sha512";
const CIPHERS_ALLOWED =
    "chacha20-poly1305@openssh.com, aes256-gcm@openssh.com, aes128-gcm@openssh.com, aes256-ctr, aes192-ctr, aes128-ctr";
const MACS_ALLOWED = "hmac-sha2-512-etm@openssh.com, hmac-sha2-256-etm@openssh.com, umac-128-etm@openssh.com";
const HOSTKEY_ALLOWED =
    "ssh-ed25519, ssh-ed25519-cert-v01@openssh.com, rsa-sha2-512, rsa-sha2-512-cert-v01@openssh.com, rsa-sha2-256, rsa-sha2-256-cert-v01@openssh.com";
const MAXSTARTUPS_RULE =
    'must be "start:rate:full" (for example "10:30:60") with 1 <= start <= full <= 10000 and rate from 1 to 100, got';

type Case = [title: string, args: unknown, ctx: Partial<HostContext>, message: string];

/** Every bad input, one change each, with the exact message that fails the preview. */
const BAD_INPUTS: Case[] = [
    [
        "root as the connection user",
        undefined,
        { connectionUser: "root" },
        "args.target.user is root, and the ssh step turns root login off (PermitRootLogin no); connect as a non-root user with passwordless sudo",
    ],
    [
        "a malformed connection user",
        undefined,
        { connectionUser: "deploy user" },
        'args.target.user must be a user name ([a-z_][a-z0-9_.-]*, at most 32 characters), got "deploy user"',
    ],
    [
        "an empty connection user",
        undefined,
        { connectionUser: "" },
        'args.target.user must be a user name ([a-z_][a-z0-9_.-]*, at most 32 characters), got ""',
    ],
    ["port 0", undefined, { sshPort: 0 }, "args.sshPort must be a whole number from 1 to 65535, got 0"],
    ["port 65536", undefined, { sshPort: 65536 }, "args.sshPort must be a whole number from 1 to 65535, got 65536"],
    ["args that are a list", [], {}, "args.ssh must be an object of SSH options"],
    [
        "an unknown option",
        { passwordAuthentication: true },
        {},
        "args.ssh.passwordAuthentication is not an option; allowed: allowUsers, allowGroups, maxAuthTries, loginGraceTimeSeconds, maxSessions, maxStartups, idleTimeoutMinutes, kexAlgorithms, ciphers, macs, hostKeyAlgorithms, banner",
    ],
    ["allowUsers not a list", { allowUsers: "alice" }, {}, "args.ssh.allowUsers must be a list of user names"],
    [
        "a user pattern",
        { allowUsers: ["alice", "ops*"] },
        {},
        'args.ssh.allowUsers[1] must be a user name ([a-z_][a-z0-9_.-]*, at most 32 characters), got "ops*"',
    ],
    [
        "USER@HOST",
        { allowUsers: ["alice@10.0.0.1"] },
        {},
        'args.ssh.allowUsers[0] must be a user name ([a-z_][a-z0-9_.-]*, at most 32 characters), got "alice@10.0.0.1"',
    ],
    [
        "a user name of 33 characters",
        { allowUsers: ["a".repeat(33)] },
        {},
        `args.ssh.allowUsers[0] must be a user name ([a-z_][a-z0-9_.-]*, at most 32 characters), got "${"a".repeat(33)}"`,
    ],
    [
        "root in allowUsers",
        { allowUsers: ["root"] },
        {},
        "args.ssh.allowUsers[0] is root; root login is off (PermitRootLogin no)",
    ],
    [
        "an empty allowGroups",
        { allowGroups: [] },
        {},
        "args.ssh.allowGroups must list at least one group; leave it unset to allow users by name only",
    ],
    [
        "a group with a space",
        { allowGroups: ["docker admins"] },
        {},
        'args.ssh.allowGroups[0] must be a group name ([a-z_][a-z0-9_.-]*, at most 32 characters), got "docker admins"',
    ],
    ["allowGroups not a list", { allowGroups: "ops" }, {}, "args.ssh.allowGroups must be a list of group names"],
    ["maxAuthTries 0", { maxAuthTries: 0 }, {}, "args.ssh.maxAuthTries must be a whole number from 1 to 6, got 0"],
    ["maxAuthTries 7", { maxAuthTries: 7 }, {}, "args.ssh.maxAuthTries must be a whole number from 1 to 6, got 7"],
    [
        "a fractional maxAuthTries",
        { maxAuthTries: 2.5 },
        {},
        "args.ssh.maxAuthTries must be a whole number from 1 to 6, got 2.5",
    ],
    [
        "maxAuthTries as text",
        { maxAuthTries: "3" },
        {},
        "args.ssh.maxAuthTries must be a whole number from 1 to 6, got 3",
    ],
    [
        "no login grace limit",
        { loginGraceTimeSeconds: 0 },
        {},
        "args.ssh.loginGraceTimeSeconds must be a whole number from 10 to 120, got 0",
    ],
    [
        "a long login grace time",
        { loginGraceTimeSeconds: 121 },
        {},
        "args.ssh.loginGraceTimeSeconds must be a whole number from 10 to 120, got 121",
    ],
    ["maxSessions 0", { maxSessions: 0 }, {}, "args.ssh.maxSessions must be a whole number from 1 to 10, got 0"],
    ["maxSessions 11", { maxSessions: 11 }, {}, "args.ssh.maxSessions must be a whole number from 1 to 10, got 11"],
    ["maxStartups as one number", { maxStartups: "10" }, {}, `args.ssh.maxStartups ${MAXSTARTUPS_RULE} "10"`],
    [
        "maxStartups start above full",
        { maxStartups: "60:30:10" },
        {},
        `args.ssh.maxStartups ${MAXSTARTUPS_RULE} "60:30:10"`,
    ],
    ["maxStartups rate 0", { maxStartups: "10:0:60" }, {}, `args.ssh.maxStartups ${MAXSTARTUPS_RULE} "10:0:60"`],
    ["maxStartups rate 101", { maxStartups: "10:101:60" }, {}, `args.ssh.maxStartups ${MAXSTARTUPS_RULE} "10:101:60"`],
    ["maxStartups start 0", { maxStartups: "0:30:60" }, {}, `args.ssh.maxStartups ${MAXSTARTUPS_RULE} "0:30:60"`],
    [
        "maxStartups full 10001",
        { maxStartups: "10:30:10001" },
        {},
        `args.ssh.maxStartups ${MAXSTARTUPS_RULE} "10:30:10001"`,
    ],
    ["maxStartups as a number", { maxStartups: 10 }, {}, `args.ssh.maxStartups ${MAXSTARTUPS_RULE} 10`],
    [
        "no idle timeout",
        { idleTimeoutMinutes: 0 },
        {},
        "args.ssh.idleTimeoutMinutes must be a whole number from 1 to 1440, got 0",
    ],
    [
        "an idle timeout over a day",
        { idleTimeoutMinutes: 1441 },
        {},
        "args.ssh.idleTimeoutMinutes must be a whole number from 1 to 1440, got 1441",
    ],
    [
        "a SHA-1 key exchange",
        { kexAlgorithms: ["curve25519-sha256", "diffie-hellman-group14-sha1"] },
        {},
        `args.ssh.kexAlgorithms[1] is "diffie-hellman-group14-sha1", which is not allowed; allowed: ${KEX_ALLOWED}`,
    ],
    [
        "a NIST-curve key exchange",
        { kexAlgorithms: ["ecdh-sha2-nistp256"] },
        {},
        `args.ssh.kexAlgorithms[0] is "ecdh-sha2-nistp256", which is not allowed; allowed: ${KEX_ALLOWED}`,
    ],
    [
        "a key exchange newer than OpenSSH 9.2",
        { kexAlgorithms: ["mlkem768x25519-sha256"] },
        {},
        `args.ssh.kexAlgorithms[0] is "mlkem768x25519-sha256", which is not allowed; allowed: ${KEX_ALLOWED}`,
    ],
    [
        "an empty key exchange list",
        { kexAlgorithms: [] },
        {},
        `args.ssh.kexAlgorithms must be a non-empty list of names from: ${KEX_ALLOWED}`,
    ],
    [
        "a comma-joined key exchange string",
        { kexAlgorithms: "curve25519-sha256,curve25519-sha256@libssh.org" },
        {},
        `args.ssh.kexAlgorithms must be a non-empty list of names from: ${KEX_ALLOWED}`,
    ],
    [
        "a repeated key exchange",
        { kexAlgorithms: ["curve25519-sha256", "curve25519-sha256"] },
        {},
        'args.ssh.kexAlgorithms[1] repeats "curve25519-sha256"; list each once',
    ],
    [
        "a CBC cipher",
        { ciphers: ["aes256-cbc"] },
        {},
        `args.ssh.ciphers[0] is "aes256-cbc", which is not allowed; allowed: ${CIPHERS_ALLOWED}`,
    ],
    [
        "3DES",
        { ciphers: ["aes256-ctr", "3des-cbc"] },
        {},
        `args.ssh.ciphers[1] is "3des-cbc", which is not allowed; allowed: ${CIPHERS_ALLOWED}`,
    ],
    ["no ciphers", { ciphers: [] }, {}, `args.ssh.ciphers must be a non-empty list of names from: ${CIPHERS_ALLOWED}`],
    [
        "a SHA-1 MAC",
        { macs: ["hmac-sha1"] },
        {},
        `args.ssh.macs[0] is "hmac-sha1", which is not allowed; allowed: ${MACS_ALLOWED}`,
    ],
    [
        "an encrypt-and-MAC MAC",
        { macs: ["hmac-sha2-256"] },
        {},
        `args.ssh.macs[0] is "hmac-sha2-256", which is not allowed; allowed: ${MACS_ALLOWED}`,
    ],
    [
        "an ECDSA host key algorithm",
        { hostKeyAlgorithms: ["ssh-ed25519", "ecdsa-sha2-nistp256"] },
        {},
        `args.ssh.hostKeyAlgorithms[1] is "ecdsa-sha2-nistp256", which is not allowed; allowed: ${HOSTKEY_ALLOWED}`,
    ],
    [
        "ssh-rsa (SHA-1 signatures)",
        { hostKeyAlgorithms: ["ssh-rsa"] },
        {},
        `args.ssh.hostKeyAlgorithms[0] is "ssh-rsa", which is not allowed; allowed: ${HOSTKEY_ALLOWED}`,
    ],
    [
        "a host key algorithm that is not text",
        { hostKeyAlgorithms: [7] },
        {},
        `args.ssh.hostKeyAlgorithms[0] is 7, which is not allowed; allowed: ${HOSTKEY_ALLOWED}`,
    ],
    ["an empty banner", { banner: " \n" }, {}, "args.ssh.banner must be non-empty text; leave it unset for no banner"],
    [
        "a banner with an escape sequence",
        { banner: "Authorised use only\u001b[2J" },
        {},
        "args.ssh.banner must be printable ASCII text with newlines (no control characters)",
    ],
    [
        "a banner with CRLF",
        { banner: "Authorised use only\r\n" },
        {},
        "args.ssh.banner must be printable ASCII text with newlines (no control characters)",
    ],
    [
        "a banner over 2048 characters",
        { banner: "x".repeat(2049) },
        {},
        "args.ssh.banner must be at most 2048 characters, got 2049",
    ],
];

describe("validateSshArgs", () => {
    it("fills in the secure defaults, with the connection user allowed by name", () => {
        assert.deepEqual(validateSshArgs(undefined, CTX), DEFAULT_PLAN);
        assert.deepEqual(validateSshArgs({}, CTX), DEFAULT_PLAN);
    });

    it("takes its defaults from SSH_DEFAULTS, which is frozen", () => {
        assert.ok(Object.isFrozen(SSH_DEFAULTS));
        assert.ok(Object.isFrozen(SSH_DEFAULTS.kexAlgorithms));
        assert.equal(DEFAULT_PLAN.maxAuthTries, SSH_DEFAULTS.maxAuthTries);
        assert.deepEqual(DEFAULT_PLAN.kexAlgorithms, [...SSH_DEFAULTS.kexAlgorithms]);
    });

    it("adds the connection user to allowUsers, sorted and without repeats", () => {
        const plan = validateSshArgs({ allowUsers: ["zoe", "alice", "zoe", "deploy"] }, CTX);
        assert.deepEqual(plan.allowUsers, ["alice", "deploy", "zoe"]);
        assert.equal(plan.allowGroups, undefined);
    });

    it("leaves AllowUsers out when only allowGroups is given", () => {
        const plan = validateSshArgs({ allowGroups: ["sudo", "docker-admins", "sudo"] }, CTX);
        assert.equal(plan.allowUsers, undefined);
        assert.deepEqual(plan.allowGroups, ["docker-admins", "sudo"]);
    });

    it("keeps both lists when both are given (sshd then requires both)", () => {
        const plan = validateSshArgs({ allowUsers: [], allowGroups: ["ops"] }, CTX);
        assert.deepEqual(plan.allowUsers, ["deploy"]);
        assert.deepEqual(plan.allowGroups, ["ops"]);
    });

    it("keeps the caller's algorithm order (it is the preference order)", () => {
        const plan = validateSshArgs(
            {
                kexAlgorithms: ["diffie-hellman-group18-sha512", "curve25519-sha256"],
                ciphers: ["aes128-ctr", "chacha20-poly1305@openssh.com"],
                macs: ["umac-128-etm@openssh.com"],
                hostKeyAlgorithms: ["rsa-sha2-256", "ssh-ed25519-cert-v01@openssh.com"],
            },
            CTX,
        );
        assert.deepEqual(plan.kexAlgorithms, ["diffie-hellman-group18-sha512", "curve25519-sha256"]);
        assert.deepEqual(plan.ciphers, ["aes128-ctr", "chacha20-poly1305@openssh.com"]);
        assert.deepEqual(plan.macs, ["umac-128-etm@openssh.com"]);
        assert.deepEqual(plan.hostKeyAlgorithms, ["rsa-sha2-256", "ssh-ed25519-cert-v01@openssh.com"]);
    });

    it("takes the numbers at both ends of their ranges", () => {
        const low = validateSshArgs(
            { maxAuthTries: 1, loginGraceTimeSeconds: 10, maxSessions: 1, maxStartups: "1:1:1", idleTimeoutMinutes: 1 },
            CTX,
        );
        assert.deepEqual(
            [low.maxAuthTries, low.loginGraceTimeSeconds, low.maxSessions, low.maxStartups, low.idleTimeoutMinutes],
            [1, 10, 1, "1:1:1", 1],
        );
        const high = validateSshArgs(
            {
                maxAuthTries: 6,
                loginGraceTimeSeconds: 120,
                maxSessions: 10,
                maxStartups: "10000:100:10000",
                idleTimeoutMinutes: 1440,
            },
            CTX,
        );
        assert.deepEqual(
            [
                high.maxAuthTries,
                high.loginGraceTimeSeconds,
                high.maxSessions,
                high.maxStartups,
                high.idleTimeoutMinutes,
            ],
            [6, 120, 10, "10000:100:10000", 1440],
        );
    });

    it("normalises maxStartups' numbers", () => {
        assert.equal(validateSshArgs({ maxStartups: "05:030:060" }, CTX).maxStartups, "5:30:60");
    });

    it("ends the banner with a newline", () => {
        assert.equal(validateSshArgs({ banner: "Authorised use only." }, CTX).banner, "Authorised use only.\n");
        assert.equal(validateSshArgs({ banner: "Line 1\n\tLine 2\n" }, CTX).banner, "Line 1\n\tLine 2\n");
    });

    describe("refuses every bad input with the exact message", () => {
        for (const [title, args, ctx, message] of BAD_INPUTS) {
            it(title, () => {
                assert.throws(() => validateSshArgs(args as SshArgs, { ...CTX, ...ctx }), {
                    name: "ArgumentError",
                    message,
                });
            });
        }
    });

    it("names the argument path in ArgumentError.argument", () => {
        try {
            validateSshArgs({ macs: ["hmac-md5"] }, CTX);
            assert.fail("no error");
        } catch (e) {
            assert.ok(e instanceof ArgumentError);
            assert.equal(e.argument, "args.ssh.macs[0]");
        }
    });
});
