import { ArgumentError, integer } from "../../common/errors";
import type { HostContext } from "../step";
import type { SshArgs } from "./args";
import { SSH_DEFAULTS } from "./defaults";

/** The SSH step's arguments after validation, with every default filled in. */
export interface SshPlan {
    /** `AllowUsers`, sorted, with the connection user; undefined when only groups decide. */
    allowUsers?: string[];
    /** `AllowGroups`, sorted; undefined when unset. */
    allowGroups?: string[];
    maxAuthTries: number;
    loginGraceTimeSeconds: number;
    maxSessions: number;
    maxStartups: string;
    idleTimeoutMinutes: number;
    kexAlgorithms: string[];
    ciphers: string[];
    macs: string[];
    hostKeyAlgorithms: string[];
    /** The banner's text, ending in a newline; undefined for no banner. */
    banner?: string;
}

/**
 * What the algorithm options may name: the secure subset of what both OpenSSH 9.2 (Debian 12) and
 * 8.9 (Ubuntu 22.04) know, so a valid plan always passes `sshd -t` on the supported hosts.
 */
export const SSH_ALLOWED_ALGORITHMS = Object.freeze({
    kexAlgorithms: Object.freeze([
        "sntrup761x25519-sha512@openssh.com",
        "curve25519-sha256",
        "curve25519-sha256@libssh.org",
        "diffie-hellman-group-exchange-sha256",
        "diffie-hellman-group16-sha512",
        "diffie-hellman-group18-sha512",
    ]),
    ciphers: SSH_DEFAULTS.ciphers,
    macs: SSH_DEFAULTS.macs,
    hostKeyAlgorithms: Object.freeze([
        "ssh-ed25519",
        "ssh-ed25519-cert-v01@openssh.com",
        "rsa-sha2-512",
        "rsa-sha2-512-cert-v01@openssh.com",
        "rsa-sha2-256",
        "rsa-sha2-256-cert-v01@openssh.com",
    ]),
});

/** Where HardenedHost takes the connection's user and port from: errors about them name these. */
export const CONNECTION_USER_ARGUMENT = "args.target.user";
export const CONNECTION_PORT_ARGUMENT = "args.sshPort";

/** A plain POSIX-style account name, as `useradd` takes it on Debian (dots allowed, no patterns). */
const NAME = /^[a-z_][a-z0-9_.-]{0,31}$/;
const NAME_RULE = "[a-z_][a-z0-9_.-]*, at most 32 characters";
const BANNER_MAX = 2048;

const OPTIONS: readonly (keyof SshArgs)[] = [
    "allowUsers",
    "allowGroups",
    "maxAuthTries",
    "loginGraceTimeSeconds",
    "maxSessions",
    "maxStartups",
    "idleTimeoutMinutes",
    "kexAlgorithms",
    "ciphers",
    "macs",
    "hostKeyAlgorithms",
    "banner",
];

function names(argument: string, value: unknown, what: "user" | "group"): string[] {
    if (!Array.isArray(value)) {
        throw new ArgumentError(argument, `must be a list of ${what} names`);
    }
    value.forEach((name: unknown, i) => {
        if (typeof name !== "string" || !NAME.test(name)) {
            throw new ArgumentError(
                `${argument}[${i}]`,
                `must be a ${what} name (${NAME_RULE}), got ${JSON.stringify(name)}`,
            );
        }
        if (what === "user" && name === "root") {
            throw new ArgumentError(`${argument}[${i}]`, "is root; root login is off (PermitRootLogin no)");
        }
    });
    return [...new Set(value as string[])].sort();
}

function algorithms(argument: string, value: unknown, allowed: readonly string[]): string[] {
    if (!Array.isArray(value) || value.length === 0) {
        throw new ArgumentError(argument, `must be a non-empty list of names from: ${allowed.join(", ")}`);
    }
    value.forEach((name: unknown, i) => {
        if (typeof name !== "string" || !allowed.includes(name)) {
            throw new ArgumentError(
                `${argument}[${i}]`,
                `is ${JSON.stringify(name)}, which is not allowed; allowed: ${allowed.join(", ")}`,
            );
        }
        if (value.indexOf(name) !== i) {
            throw new ArgumentError(`${argument}[${i}]`, `repeats ${JSON.stringify(name)}; list each once`);
        }
    });
    return [...(value as string[])];
}

function maxStartups(value: unknown): string {
    const m = typeof value === "string" ? /^([0-9]{1,5}):([0-9]{1,3}):([0-9]{1,5})$/.exec(value) : null;
    const [start, rate, full] = m === null ? [0, 0, 0] : [Number(m[1]), Number(m[2]), Number(m[3])];
    if (m === null || start < 1 || start > full || full > 10000 || rate < 1 || rate > 100) {
        throw new ArgumentError(
            "args.ssh.maxStartups",
            `must be "start:rate:full" (for example "10:30:60") with 1 <= start <= full <= 10000 and rate from 1 to 100, got ${JSON.stringify(value)}`,
        );
    }
    return `${start}:${rate}:${full}`;
}

function banner(value: unknown): string | undefined {
    const argument = "args.ssh.banner";
    if (value === undefined) {
        return undefined;
    }
    if (typeof value !== "string" || value.trim() === "") {
        throw new ArgumentError(argument, "must be non-empty text; leave it unset for no banner");
    }
    if (value.length > BANNER_MAX) {
        throw new ArgumentError(argument, `must be at most ${BANNER_MAX} characters, got ${value.length}`);
    }
    if (!/^[\x20-\x7e\t\n]*$/.test(value)) {
        throw new ArgumentError(argument, "must be printable ASCII text with newlines (no control characters)");
    }
    return value.endsWith("\n") ? value : `${value}\n`;
}

/** Checks the facts the step takes from the host context: the connection user and port. */
export function validateSshContext(ctx: HostContext): void {
    if (ctx === undefined || ctx === null) {
        throw new ArgumentError(CONNECTION_USER_ARGUMENT, "is required: the SSH user the deployment connects as");
    }
    if (typeof ctx.connectionUser !== "string" || !NAME.test(ctx.connectionUser)) {
        throw new ArgumentError(
            CONNECTION_USER_ARGUMENT,
            `must be a user name (${NAME_RULE}), got ${JSON.stringify(ctx.connectionUser)}`,
        );
    }
    if (ctx.connectionUser === "root") {
        throw new ArgumentError(
            CONNECTION_USER_ARGUMENT,
            "is root, and the ssh step turns root login off (PermitRootLogin no); connect as a non-root user with passwordless sudo",
        );
    }
    integer(CONNECTION_PORT_ARGUMENT, ctx.sshPort, 1, 65535);
}

/**
 * Validates the SSH step's arguments against the host context and fills in the defaults. Throws
 * ArgumentError naming the argument and what is allowed.
 */
export function validateSshArgs(args: SshArgs | undefined, ctx: HostContext): SshPlan {
    validateSshContext(ctx);
    const a: SshArgs = args ?? {};
    if (typeof a !== "object" || a === null || Array.isArray(a)) {
        throw new ArgumentError("args.ssh", "must be an object of SSH options");
    }
    for (const key of Object.keys(a)) {
        if (!(OPTIONS as readonly string[]).includes(key)) {
            throw new ArgumentError(`args.ssh.${key}`, `is not an option; allowed: ${OPTIONS.join(", ")}`);
        }
    }
    const d = SSH_DEFAULTS;
    const allowGroups = a.allowGroups === undefined ? undefined : names("args.ssh.allowGroups", a.allowGroups, "group");
    if (allowGroups !== undefined && allowGroups.length === 0) {
        throw new ArgumentError(
            "args.ssh.allowGroups",
            "must list at least one group; leave it unset to allow users by name only",
        );
    }
    let allowUsers: string[] | undefined;
    if (a.allowUsers !== undefined || allowGroups === undefined) {
        // The connection user is always allowed by name, so the deployment cannot lock itself out.
        const listed = names("args.ssh.allowUsers", a.allowUsers ?? [], "user");
        allowUsers = [...new Set([...listed, ctx.connectionUser])].sort();
    }
    return {
        allowUsers,
        allowGroups,
        maxAuthTries: integer("args.ssh.maxAuthTries", a.maxAuthTries ?? d.maxAuthTries, 1, 6),
        loginGraceTimeSeconds: integer(
            "args.ssh.loginGraceTimeSeconds",
            a.loginGraceTimeSeconds ?? d.loginGraceTimeSeconds,
            10,
            120,
        ),
        maxSessions: integer("args.ssh.maxSessions", a.maxSessions ?? d.maxSessions, 1, 10),
        maxStartups: maxStartups(a.maxStartups ?? d.maxStartups),
        idleTimeoutMinutes: integer(
            "args.ssh.idleTimeoutMinutes",
            a.idleTimeoutMinutes ?? d.idleTimeoutMinutes,
            1,
            1440,
        ),
        kexAlgorithms: algorithms(
            "args.ssh.kexAlgorithms",
            a.kexAlgorithms ?? d.kexAlgorithms,
            SSH_ALLOWED_ALGORITHMS.kexAlgorithms,
        ),
        ciphers: algorithms("args.ssh.ciphers", a.ciphers ?? d.ciphers, SSH_ALLOWED_ALGORITHMS.ciphers),
        macs: algorithms("args.ssh.macs", a.macs ?? d.macs, SSH_ALLOWED_ALGORITHMS.macs),
        hostKeyAlgorithms: algorithms(
            "args.ssh.hostKeyAlgorithms",
            a.hostKeyAlgorithms ?? d.hostKeyAlgorithms,
            SSH_ALLOWED_ALGORITHMS.hostKeyAlgorithms,
        ),
        banner: banner(a.banner),
    };
}
