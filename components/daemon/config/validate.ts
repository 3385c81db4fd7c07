import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import * as ipaddr from "ipaddr.js";
import { ArgumentError, integer, waiverReason } from "../../common/errors";
import { readSeccompProfile } from "../../container/seccomp/profile";
import type { HostContext } from "../../host/step";
import type { DaemonConfigArgs } from "./args";
import { DAEMON_CONFIG_DEFAULTS } from "./defaults";

/** A relaxation of CIS section 2, with the reason the caller gave: shown as waived by the catalogue and the audit. */
export interface DaemonWaiverRecord {
    /** The CIS id the waiver relaxes. */
    cis: string;
    /** The waiver's argument: `args.waivers.noAuthorizationPlugin`. */
    argument: string;
    reason: string;
}

/** The daemon configuration after validation: what daemon.json says, and the files it names. */
export interface DaemonConfigPlan {
    /** Every daemon.json key and its value, `extra` included. Rendered with sorted keys. */
    settings: Record<string, unknown>;
    /** The TCP socket's files (CIS 2.7), re-encoded as PEM. `keyPem` is secret. */
    tls?: { caPem: string; certPem: string; keyPem: string };
    /** The seccomp profile's text, as installed at /etc/docker/seccomp.json. */
    seccompProfile?: string;
    /** The `userns-remap` value, or false without remapping. */
    usernsRemap: string | false;
    /** Docker's data root (`data-root`, from the host). */
    dataRoot: string;
    /** The relaxations, sorted by CIS id. */
    waivers: DaemonWaiverRecord[];
}

const ARGS = [
    "icc",
    "logLevel",
    "iptables",
    "insecureRegistries",
    "storageDriver",
    "tls",
    "defaultUlimits",
    "usernsRemap",
    "authorizationPlugins",
    "logDriver",
    "syslogAddress",
    "logOpts",
    "liveRestore",
    "seccompProfile",
    "experimental",
    "ip",
    "swarm",
    "extra",
    "waivers",
];
const TLS_ARGS = ["listenAddress", "caCertificate", "serverCertificate", "serverKey"];
const WAIVERS: Record<string, string> = {
    interContainerCommunication: "2.2",
    noUsernsRemap: "2.9",
    noAuthorizationPlugin: "2.12",
    noLiveRestore: "2.15",
};
const STORAGE_DRIVERS = ["overlay2", "btrfs", "zfs", "fuse-overlayfs"];
const LOG_LEVELS = ["info", "warn", "error"];
/** The ulimit names dockerd accepts (`docker run --ulimit`). */
const ULIMITS = [
    "core",
    "cpu",
    "data",
    "fsize",
    "locks",
    "memlock",
    "msgqueue",
    "nice",
    "nofile",
    "nproc",
    "rss",
    "rtprio",
    "rttime",
    "sigpending",
    "stack",
];
const LOG_OPTS_COMMON = ["tag", "labels", "labels-regex", "env", "env-regex", "mode", "max-buffer-size"];
const LOG_OPTS_SYSLOG = ["syslog-facility", "syslog-format", "syslog-tls-ca-cert", "syslog-tls-cert", "syslog-tls-key"];
const SYSLOG_FACILITIES = [
    "kern",
    "user",
    "mail",
    "daemon",
    "auth",
    "syslog",
    "lpr",
    "news",
    "uucp",
    "cron",
    "authpriv",
    "ftp",
    "local0",
    "local1",
    "local2",
    "local3",
    "local4",
    "local5",
    "local6",
    "local7",
];
const SYSLOG_FORMATS = ["rfc5424", "rfc5424micro", "rfc3164"];
const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const DNS_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);
const ID_NAME = "(?:[a-z_][a-z0-9_-]{0,31}|[0-9]{1,10})";
const USERNS = new RegExp(`^${ID_NAME}(?::${ID_NAME})?$`);
const PLUGIN = /^[A-Za-z0-9][A-Za-z0-9._/-]*(?::[A-Za-z0-9._-]+)?$/;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
const PATH = /^\/[A-Za-z0-9._/-]*$/;

/**
 * daemon.json keys that the arguments above set, or that CIS section 2 keeps as they are: `extra`
 * may repeat the rendered value, nothing else. `[CIS id, who sets it]`; an empty setter means the
 * key is refused outright.
 */
const OWNED: Record<string, [string, string]> = {
    icc: ["2.2", "icc"],
    "log-level": ["2.3", "logLevel"],
    debug: ["2.3", ""],
    iptables: ["2.4", "iptables"],
    "insecure-registries": ["2.5", "insecureRegistries"],
    "storage-driver": ["2.6", "storageDriver"],
    hosts: ["2.7", "tls"],
    tls: ["2.7", "tls"],
    tlsverify: ["2.7", "tls"],
    tlscacert: ["2.7", "tls"],
    tlscert: ["2.7", "tls"],
    tlskey: ["2.7", "tls"],
    "default-ulimits": ["2.8", "defaultUlimits"],
    "userns-remap": ["2.9", "usernsRemap"],
    "cgroup-parent": ["2.10", ""],
    "storage-opts": ["2.11", ""],
    "authorization-plugins": ["2.12", "authorizationPlugins"],
    "log-driver": ["2.13", "logDriver"],
    "log-opts": ["2.13", "logOpts (with syslogAddress)"],
    "no-new-privileges": ["2.14", ""],
    "live-restore": ["2.15", "liveRestore"],
    "userland-proxy": ["2.16", ""],
    "seccomp-profile": ["2.17", "seccompProfile"],
    experimental: ["2.18", "experimental"],
};

/** The value a key has when daemon.json does not name it, where that is what CIS asks for. */
const IMPLIED: Record<string, unknown> = {
    debug: false,
    "insecure-registries": [],
    "authorization-plugins": [],
};

/** Keys that are not CIS controls but that the step sets or that would break how it runs dockerd. */
const RESERVED: Record<string, string> = {
    ip: "the argument ip sets it; set it there",
    "data-root": "the host's data volume sets it (HardenedHost)",
    containerd:
        "the docker.service drop-in passes --containerd, and dockerd refuses a setting given both as a flag and in the file",
};

function known(argument: string, value: object, allowed: string[]): void {
    for (const key of Object.keys(value)) {
        if (!allowed.includes(key)) {
            throw new ArgumentError(`${argument}.${key}`, `is not an argument; allowed: ${allowed.join(", ")}`);
        }
    }
}

function object(argument: string, value: unknown, shape: string): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new ArgumentError(argument, `must be an object ${shape}`);
    }
    return value as Record<string, unknown>;
}

function boolean(argument: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) {
        return fallback;
    }
    if (typeof value !== "boolean") {
        throw new ArgumentError(argument, `must be true or false, got ${JSON.stringify(value)}`);
    }
    return value;
}

function oneOf(argument: string, value: unknown, allowed: string[]): string {
    if (typeof value !== "string" || !allowed.includes(value)) {
        throw new ArgumentError(
            argument,
            `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${JSON.stringify(value)}`,
        );
    }
    return value;
}

function stringList(argument: string, value: unknown): string[] {
    if (value === undefined) {
        return [];
    }
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
        throw new ArgumentError(argument, "must be a list of strings");
    }
    return value as string[];
}

/** An IP address (not a name) in canonical form; `what` says what it is for. */
function ipAddress(argument: string, value: unknown, what: string): ipaddr.IPv4 | ipaddr.IPv6 {
    if (typeof value !== "string" || !(ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value))) {
        throw new ArgumentError(argument, `must be an IP address (${what}), got ${JSON.stringify(value)}`);
    }
    return ipaddr.parse(value);
}

/** The digits of a port in an address: 1 to 65535. */
function portNumber(argument: string, digits: string): number {
    const port = Number(digits);
    if (!/^[1-9][0-9]{0,4}$/.test(digits) || port > 65535) {
        throw new ArgumentError(argument, `has port ${digits}; a port is 1 to 65535`);
    }
    return port;
}

/** Sorts object keys at every depth: the one order daemon.json is written in and compared in. */
export function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortKeys);
    }
    if (typeof value === "object" && value !== null) {
        const o = value as Record<string, unknown>;
        return Object.fromEntries(
            Object.keys(o)
                .sort()
                .map((k) => [k, sortKeys(o[k])]),
        );
    }
    return value;
}

/** PEM text of one or more certificates; returns them parsed. Nothing of the text enters a message. */
function certificates(argument: string, value: unknown, what: string): X509Certificate[] {
    if (typeof value !== "string" || value.trim() === "") {
        throw new ArgumentError(argument, `is required: ${what}, PEM`);
    }
    if (value.includes("PRIVATE KEY-----")) {
        throw new ArgumentError(argument, "contains a private key; give only certificates here");
    }
    const blocks = [...value.matchAll(PEM_BLOCK)];
    if (blocks.length === 0 || value.replace(PEM_BLOCK, "").trim() !== "") {
        throw new ArgumentError(
            argument,
            "must be PEM text of one or more certificates (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----) and nothing else",
        );
    }
    return blocks.map((block, i) => {
        if (block[1] !== "CERTIFICATE") {
            throw new ArgumentError(argument, `block ${i + 1} is a ${block[1]}, not a CERTIFICATE`);
        }
        try {
            return new X509Certificate(block[0]);
        } catch {
            throw new ArgumentError(argument, `block ${i + 1} is not a valid X.509 certificate`);
        }
    });
}

/** The server's private key: one unencrypted PEM key. No part of it ever enters a message. */
function privateKey(argument: string, value: unknown): { pem: string; key: KeyObject } {
    if (typeof value !== "string" || value.trim() === "") {
        throw new ArgumentError(argument, "is required: the server's private key, PEM, as a Pulumi secret");
    }
    const blocks = [...value.matchAll(PEM_BLOCK)];
    if (blocks.length !== 1 || value.replace(PEM_BLOCK, "").trim() !== "") {
        throw new ArgumentError(argument, "must be PEM text of exactly one private key and nothing else");
    }
    const type = blocks[0][1];
    if (type === "ENCRYPTED PRIVATE KEY" || /^Proc-Type: 4,ENCRYPTED/m.test(blocks[0][2])) {
        throw new ArgumentError(argument, "is encrypted; dockerd needs the key without a passphrase");
    }
    if (!["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"].includes(type)) {
        throw new ArgumentError(argument, `is a ${type}, not a PRIVATE KEY`);
    }
    try {
        const key = createPrivateKey(blocks[0][0]);
        return { pem: `${blocks[0][0].replace(/\r\n/g, "\n")}\n`, key };
    } catch {
        throw new ArgumentError(argument, "is not a valid private key");
    }
}

/** `tcp://<address>:<port>` from `listenAddress`. */
function listenHost(value: unknown): string {
    const argument = "args.tls.listenAddress";
    const text = typeof value === "string" ? value : "";
    const m = /^\[([^\]]+)\](?::([0-9]+))?$/.exec(text) ?? /^([0-9.]+)(?::([0-9]+))?$/.exec(text);
    const [host, port] = m ? [m[1], m[2]] : ipaddr.IPv6.isValid(text) ? [text, undefined] : [undefined, undefined];
    if (host === undefined || !(ipaddr.IPv4.isValidFourPartDecimal(host) || ipaddr.IPv6.isValid(host))) {
        throw new ArgumentError(
            argument,
            `must be "<IP address>:<port>", "[<IPv6 address>]:<port>" or an address alone (port ${DAEMON_CONFIG_DEFAULTS.tlsPort}), got ${JSON.stringify(value)}`,
        );
    }
    const address = ipaddr.parse(host);
    if (address.range() === "unspecified") {
        throw new ArgumentError(
            argument,
            `is ${JSON.stringify(value)}, every interface; name the one address remote clients use (CIS 2.7)`,
        );
    }
    const p = port === undefined ? DAEMON_CONFIG_DEFAULTS.tlsPort : portNumber(argument, port);
    return address.kind() === "ipv6" ? `tcp://[${address.toString()}]:${p}` : `tcp://${address.toString()}:${p}`;
}

function validateTls(value: unknown): { host: string; caPem: string; certPem: string; keyPem: string } {
    const t = object("args.tls", value, "{ listenAddress, caCertificate, serverCertificate, serverKey }");
    known("args.tls", t, TLS_ARGS);
    const host = listenHost(t.listenAddress);
    const ca = certificates(
        "args.tls.caCertificate",
        t.caCertificate,
        "the certificate of the CA that signed the clients' certificates",
    );
    const chain = certificates("args.tls.serverCertificate", t.serverCertificate, "the server's certificate");
    const { pem: keyPem, key } = privateKey("args.tls.serverKey", t.serverKey);
    const now = Date.now();
    if (Date.parse(chain[0].validTo) < now) {
        throw new ArgumentError("args.tls.serverCertificate", `expired on ${chain[0].validTo}`);
    }
    if (Date.parse(chain[0].validFrom) > now) {
        throw new ArgumentError("args.tls.serverCertificate", `is not valid before ${chain[0].validFrom}`);
    }
    if (!chain[0].checkPrivateKey(key)) {
        throw new ArgumentError("args.tls.serverKey", "does not match the server certificate (serverCertificate)");
    }
    return {
        host,
        caPem: ca.map((c) => c.toString()).join(""),
        certPem: chain.map((c) => c.toString()).join(""),
        keyPem,
    };
}

function validateUlimits(value: unknown): Record<string, unknown> {
    const given = value === undefined ? {} : object("args.defaultUlimits", value, "{ nofile: { soft, hard }, ... }");
    const merged: Record<string, unknown> = { ...DAEMON_CONFIG_DEFAULTS.defaultUlimits, ...given };
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(merged).sort()) {
        const argument = `args.defaultUlimits.${name}`;
        if (!ULIMITS.includes(name)) {
            throw new ArgumentError(argument, `is not a ulimit; allowed: ${ULIMITS.join(", ")}`);
        }
        const u = object(argument, merged[name], "{ soft, hard }");
        known(argument, u, ["soft", "hard"]);
        // A process needs open files and processes; a zero elsewhere (core) is a fine limit.
        const min = name === "nofile" || name === "nproc" ? 1 : 0;
        // The kernel's default nr_open: a larger nofile fails at container start.
        const max = name === "nofile" ? 1048576 : 2147483647;
        const hard = integer(`${argument}.hard`, u.hard, min, max);
        const soft = integer(`${argument}.soft`, u.soft, min, max);
        if (soft > hard) {
            throw new ArgumentError(`${argument}.soft`, `is ${soft}, above the hard limit ${hard}`);
        }
        out[name] = { Hard: hard, Name: name, Soft: soft };
    }
    return out;
}

function validateSyslogAddress(value: unknown): string {
    const argument = "args.syslogAddress";
    if (value === undefined) {
        throw new ArgumentError(
            argument,
            'is required with logDriver "syslog": "tcp://host:port" or "tcp+tls://host:port", the central log server (CIS 2.13); or use logDriver "journald"',
        );
    }
    const text = typeof value === "string" ? value : "";
    if (/^udp:\/\//i.test(text)) {
        throw new ArgumentError(
            argument,
            `is ${JSON.stringify(value)}: UDP loses messages silently; use "tcp://" or "tcp+tls://" (CIS 2.13)`,
        );
    }
    const m = /^(tcp|tcp\+tls):\/\/(?:\[([^\]]+)\]|([^:/[\]]+)):([0-9]+)$/.exec(text);
    let host: string | undefined;
    if (m !== null && m[2] !== undefined && ipaddr.IPv6.isValid(m[2])) {
        host = `[${ipaddr.parse(m[2]).toString()}]`;
    } else if (m !== null && m[3] !== undefined && ipaddr.IPv4.isValidFourPartDecimal(m[3])) {
        host = ipaddr.parse(m[3]).toString();
    } else if (m !== null && m[3] !== undefined && DNS_NAME.test(m[3].toLowerCase()) && !/^[0-9.]+$/.test(m[3])) {
        host = m[3].toLowerCase();
    }
    if (m === null || host === undefined) {
        throw new ArgumentError(
            argument,
            `must be "tcp://host:port" or "tcp+tls://host:port" (an IPv6 address in brackets), got ${JSON.stringify(value)}`,
        );
    }
    const port = portNumber(argument, m[4]);
    return `${m[1]}://${host}:${port}`;
}

function validateLogOpts(value: unknown, driver: string, syslogAddress: string | undefined): Record<string, string> {
    const given = value === undefined ? {} : object("args.logOpts", value, "of strings");
    const allowed = driver === "syslog" ? [...LOG_OPTS_COMMON, ...LOG_OPTS_SYSLOG] : LOG_OPTS_COMMON;
    const out: Record<string, string> = { tag: DAEMON_CONFIG_DEFAULTS.logTag };
    for (const [key, v] of Object.entries(given)) {
        const argument = `args.logOpts.${key}`;
        if (key === "syslog-address") {
            throw new ArgumentError(argument, "is set by the argument syslogAddress; set it there");
        }
        if (key === "syslog-tls-skip-verify") {
            throw new ArgumentError(
                argument,
                "is refused: the log server must prove who it is (CIS 2.13); give syslog-tls-ca-cert instead",
            );
        }
        if (!allowed.includes(key)) {
            throw new ArgumentError(
                argument,
                `is not a log option of the ${driver} driver here; allowed: ${allowed.join(", ")}`,
            );
        }
        if (typeof v !== "string" || v === "" || /[\u0000-\u001f\u007f]/.test(v)) {
            throw new ArgumentError(argument, `must be a non-empty string without control characters`);
        }
        if (key === "mode") {
            oneOf(argument, v, ["blocking", "non-blocking"]);
        } else if (key === "max-buffer-size" && !/^[1-9][0-9]*[kKmMgG]?[bB]?$/.test(v)) {
            throw new ArgumentError(argument, `must be a size such as "4m", got ${JSON.stringify(v)}`);
        } else if (key === "syslog-facility") {
            oneOf(argument, v, SYSLOG_FACILITIES);
        } else if (key === "syslog-format") {
            oneOf(argument, v, SYSLOG_FORMATS);
        } else if (key.startsWith("syslog-tls-")) {
            if (!PATH.test(v)) {
                throw new ArgumentError(argument, `must be an absolute path on the host, got ${JSON.stringify(v)}`);
            }
            if (!syslogAddress?.startsWith("tcp+tls://")) {
                throw new ArgumentError(argument, 'is for a "tcp+tls://" syslogAddress');
            }
        }
        out[key] = v;
    }
    if (given["max-buffer-size"] !== undefined && given.mode !== "non-blocking") {
        throw new ArgumentError("args.logOpts.max-buffer-size", 'is for mode "non-blocking"');
    }
    return syslogAddress === undefined ? out : { ...out, "syslog-address": syslogAddress };
}

/** Checks the text of a Docker seccomp profile as dockerd reads it (CIS 2.17), and returns it re-serialized. */
export function validateSeccompProfile(argument: string, value: unknown): string {
    return `${JSON.stringify(readSeccompProfile(argument, value, "2.17"), null, 2)}\n`;
}

function validateJson(argument: string, value: unknown): void {
    if (value === null || typeof value === "boolean" || typeof value === "string") {
        return;
    }
    if (typeof value === "number" && Number.isFinite(value)) {
        return;
    }
    if (Array.isArray(value)) {
        value.forEach((v, i) => validateJson(`${argument}[${i}]`, v));
        return;
    }
    if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
            validateJson(`${argument}.${k}`, v);
        }
        return;
    }
    throw new ArgumentError(argument, "must be JSON: null, true, false, a number, a string, a list or an object");
}

/** Merges `extra` over the rendered settings; a key that would weaken or fight the step is refused. */
function mergeExtra(settings: Record<string, unknown>, value: unknown): Record<string, unknown> {
    if (value === undefined) {
        return settings;
    }
    const extra = object("args.extra", value, "of daemon.json keys");
    const merged = { ...settings };
    for (const [key, v] of Object.entries(extra)) {
        const argument = `args.extra.${key}`;
        if (!/^[a-z][a-z0-9-]*$/.test(key)) {
            throw new ArgumentError(argument, "is not a daemon.json key (lower case, digits and dashes)");
        }
        validateJson(argument, v);
        const current = key in settings ? settings[key] : IMPLIED[key];
        const same = current !== undefined && isDeepStrictEqual(sortKeys(v), sortKeys(current));
        const owned = OWNED[key];
        if (owned !== undefined && !same) {
            const [cis, setter] = owned;
            throw new ArgumentError(
                argument,
                setter === ""
                    ? `would set "${key}" to ${JSON.stringify(v)}; it stays ${current === undefined ? "unset" : JSON.stringify(current)} (CIS ${cis})`
                    : `would change "${key}", which the argument ${setter} sets (CIS ${cis}); set it there`,
            );
        }
        if (RESERVED[key] !== undefined && !same) {
            throw new ArgumentError(argument, `would change "${key}": ${RESERVED[key]}`);
        }
        merged[key] = v;
    }
    return merged;
}

/**
 * Validates the daemon configuration's arguments and fills in the defaults. Throws ArgumentError
 * naming the argument and what is allowed; secrets (the server key) never enter a message.
 */
export function validateDaemonConfigArgs(args: DaemonConfigArgs | undefined, ctx: HostContext): DaemonConfigPlan {
    const a = (args === undefined ? {} : object("args", args, "of daemon settings")) as Record<string, unknown>;
    known("args", a, ARGS);
    const D = DAEMON_CONFIG_DEFAULTS;

    const w = (a.waivers === undefined ? {} : object("args.waivers", a.waivers, "of waivers")) as Record<
        string,
        unknown
    >;
    known("args.waivers", w, Object.keys(WAIVERS));
    const waivers: DaemonWaiverRecord[] = [];
    /**
     * A relaxation (`relaxed`) needs its waiver, else `problem` is the error on `relaxedArgument`;
     * a waiver without the relaxation is refused.
     */
    const waive = (name: string, relaxed: boolean, relaxedArgument: string, problem: string) => {
        const argument = `args.waivers.${name}`;
        const reason = waiverReason(argument, w[name] as { reason: string } | undefined);
        if (relaxed && reason === undefined) {
            throw new ArgumentError(
                relaxedArgument,
                `${problem} (CIS ${WAIVERS[name]}); or give waivers.${name}: { reason }`,
            );
        }
        if (!relaxed && reason !== undefined) {
            throw new ArgumentError(argument, `is given, but CIS ${WAIVERS[name]} is not relaxed; remove the waiver`);
        }
        if (reason !== undefined) {
            waivers.push({ cis: WAIVERS[name], argument, reason });
        }
    };

    // CIS 2.2
    const icc = boolean("args.icc", a.icc, D.icc);
    waive("interContainerCommunication", icc, "args.icc", "is true: containers on the default bridge reach each other");

    // CIS 2.3
    if (a.logLevel === "debug") {
        throw new ArgumentError(
            "args.logLevel",
            'is "debug", for troubleshooting, not for a hardened daemon; use "info" (CIS 2.3), "warn" or "error"',
        );
    }
    const logLevel = a.logLevel === undefined ? D.logLevel : oneOf("args.logLevel", a.logLevel, LOG_LEVELS);

    // CIS 2.4
    if (a.iptables === false) {
        throw new ArgumentError(
            "args.iptables",
            "is false: Docker must manage iptables, or published ports and network isolation are left to hand-written rules (CIS 2.4)",
        );
    }
    if (a.iptables !== undefined && a.iptables !== true) {
        throw new ArgumentError("args.iptables", `must be true, got ${JSON.stringify(a.iptables)}`);
    }

    // CIS 2.5
    const insecure = stringList("args.insecureRegistries", a.insecureRegistries);
    if (insecure.length > 0) {
        throw new ArgumentError(
            "args.insecureRegistries",
            `must be empty: a registry over plain HTTP or unverified TLS is refused (CIS 2.5); got ${JSON.stringify(insecure)}`,
        );
    }

    // CIS 2.6
    if (a.storageDriver === "aufs" || a.storageDriver === "devicemapper") {
        throw new ArgumentError(
            "args.storageDriver",
            `is "${a.storageDriver}", which is deprecated and gone from current Docker (CIS 2.6); use "overlay2"`,
        );
    }
    const storageDriver =
        a.storageDriver === undefined ? D.storageDriver : oneOf("args.storageDriver", a.storageDriver, STORAGE_DRIVERS);

    // CIS 2.7
    const tls = a.tls === undefined ? undefined : validateTls(a.tls);

    // CIS 2.8
    const ulimits = validateUlimits(a.defaultUlimits);

    // CIS 2.9
    let usernsRemap: string | false = D.usernsRemap;
    if (a.usernsRemap === false) {
        usernsRemap = false;
    } else if (a.usernsRemap !== undefined) {
        if (typeof a.usernsRemap !== "string" || (a.usernsRemap !== "default" && !USERNS.test(a.usernsRemap))) {
            throw new ArgumentError(
                "args.usernsRemap",
                `must be "default", "user", "user:group" (names or numeric ids) or false, got ${JSON.stringify(a.usernsRemap)}`,
            );
        }
        if (/^(root|0)(:|$)/.test(a.usernsRemap)) {
            throw new ArgumentError(
                "args.usernsRemap",
                `is ${JSON.stringify(a.usernsRemap)}: mapping container root to host root is no remapping (CIS 2.9)`,
            );
        }
        usernsRemap = a.usernsRemap;
    }
    waive("noUsernsRemap", usernsRemap === false, "args.usernsRemap", "is false: container root is host root");

    // CIS 2.12
    const plugins = stringList("args.authorizationPlugins", a.authorizationPlugins);
    plugins.forEach((p, i) => {
        if (!PLUGIN.test(p)) {
            throw new ArgumentError(`args.authorizationPlugins[${i}]`, `is not a plugin name: ${JSON.stringify(p)}`);
        }
        if (plugins.indexOf(p) !== i) {
            throw new ArgumentError(`args.authorizationPlugins[${i}]`, `repeats ${JSON.stringify(p)}`);
        }
    });
    waive(
        "noAuthorizationPlugin",
        plugins.length === 0,
        "args.authorizationPlugins",
        "is empty: every client of the socket may do everything; name an authorization plugin",
    );

    // CIS 2.13
    if (a.logDriver === "json-file" || a.logDriver === "local") {
        throw new ArgumentError(
            "args.logDriver",
            `is "${a.logDriver}", which keeps logs on this host alone; use "syslog" or "journald" (CIS 2.13)`,
        );
    }
    const logDriver =
        a.logDriver === undefined ? D.logDriver : oneOf("args.logDriver", a.logDriver, ["syslog", "journald"]);
    if (logDriver === "journald" && a.syslogAddress !== undefined) {
        throw new ArgumentError("args.syslogAddress", 'is for logDriver "syslog"; journald has no address');
    }
    const syslogAddress = logDriver === "syslog" ? validateSyslogAddress(a.syslogAddress) : undefined;
    const logOpts = validateLogOpts(a.logOpts, logDriver, syslogAddress);

    // CIS 2.15, and swarm mode
    const liveRestore = boolean("args.liveRestore", a.liveRestore, D.liveRestore);
    const swarm = boolean("args.swarm", a.swarm, false);
    if (swarm && liveRestore) {
        throw new ArgumentError(
            "args.swarm",
            "is true, but live-restore is incompatible with swarm mode: set liveRestore: false with waivers.noLiveRestore (CIS 2.15)",
        );
    }
    waive(
        "noLiveRestore",
        !liveRestore,
        "args.liveRestore",
        "is false: every dockerd restart stops the containers; keep it true",
    );

    // CIS 2.17
    const seccompProfile =
        a.seccompProfile === undefined ? undefined : validateSeccompProfile("args.seccompProfile", a.seccompProfile);

    // CIS 2.18
    if (a.experimental === true) {
        throw new ArgumentError(
            "args.experimental",
            "is true: experimental features are not for production daemons (CIS 2.18)",
        );
    }
    if (a.experimental !== undefined && a.experimental !== false) {
        throw new ArgumentError("args.experimental", `must be false, got ${JSON.stringify(a.experimental)}`);
    }

    // The default address of published ports.
    const ip = a.ip === undefined ? ipaddr.parse(D.ip) : ipAddress("args.ip", a.ip, "such as 127.0.0.1");
    if (ip.range() === "unspecified") {
        throw new ArgumentError(
            "args.ip",
            `is ${JSON.stringify(a.ip)}, which publishes a port given without an address on every interface; use "127.0.0.1" or one of the host's addresses`,
        );
    }

    const dataRoot = ctx.dataRoot;
    if (
        typeof dataRoot !== "string" ||
        !PATH.test(dataRoot) ||
        dataRoot === "/" ||
        /\/$|\/\.\.?(\/|$)|\/\//.test(dataRoot)
    ) {
        throw new ArgumentError(
            "ctx.dataRoot",
            `must be an absolute, normalized path, got ${JSON.stringify(dataRoot)}`,
        );
    }

    const settings: Record<string, unknown> = {
        ...(plugins.length > 0 ? { "authorization-plugins": plugins } : {}),
        ...(dataRoot !== D.dataRoot ? { "data-root": dataRoot } : {}),
        "default-ulimits": ulimits,
        experimental: false,
        hosts: tls === undefined ? ["fd://"] : ["fd://", tls.host],
        icc,
        ip: ip.toString(),
        iptables: true,
        "live-restore": liveRestore,
        "log-driver": logDriver,
        "log-level": logLevel,
        "log-opts": logOpts,
        "no-new-privileges": true,
        ...(seccompProfile === undefined ? {} : { "seccomp-profile": D.paths.seccompProfile }),
        "storage-driver": storageDriver,
        ...(tls === undefined
            ? {}
            : { tlscacert: D.paths.tlsCa, tlscert: D.paths.tlsCert, tlskey: D.paths.tlsKey, tlsverify: true }),
        "userland-proxy": false,
        ...(usernsRemap === false ? {} : { "userns-remap": usernsRemap }),
    };

    return {
        settings: sortKeys(mergeExtra(settings, a.extra)) as Record<string, unknown>,
        ...(tls === undefined ? {} : { tls: { caPem: tls.caPem, certPem: tls.certPem, keyPem: tls.keyPem } }),
        ...(seccompProfile === undefined ? {} : { seccompProfile }),
        usernsRemap,
        dataRoot,
        // Checked in CIS order, so recorded in it.
        waivers,
    };
}
