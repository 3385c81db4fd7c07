import { X509Certificate } from "node:crypto";
import * as ipaddr from "ipaddr.js";
import { ArgumentError, integer } from "../../common/errors";
import type { HostContext } from "../step";
import type { LoggingArgs } from "./args";
import { LOGGING_DEFAULTS } from "./defaults";

/** The logging step's arguments after validation, with every default filled in. */
export interface LoggingPlan {
    /** A lower-case DNS name, or an IP address in its canonical form. */
    host: string;
    port: number;
    tls?: {
        /** The CA certificates, re-encoded as PEM, one after the other. */
        caPem: string;
        permittedPeer: string;
    };
    queueMaxDiskSpaceMb: number;
}

const ARGS = ["remote", "queueMaxDiskSpaceMb"];
const REMOTE_ARGS = ["host", "port", "protocol", "tls"];
const TLS_ARGS = ["caCertificate", "permittedPeer"];
const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const DNS_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);
const PEER_NAME = new RegExp(`^(?=.{1,253}$)(?:\\*\\.)?${LABEL}(?:\\.${LABEL})*$`);
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

function known(argument: string, value: object, allowed: string[]): void {
    for (const key of Object.keys(value)) {
        if (!allowed.includes(key)) {
            throw new ArgumentError(`${argument}.${key}`, `is not an argument; allowed: ${allowed.join(", ")}`);
        }
    }
}

/** Validates the server's address: a DNS name or an IP address that is not this host. */
function validateHost(value: unknown): { host: string; isName: boolean } {
    const argument = "args.logging.remote.host";
    if (typeof value !== "string") {
        throw new ArgumentError(argument, "is required: the log server's DNS name or IP address (CIS 2.13)");
    }
    if (ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value)) {
        const address = ipaddr.parse(value);
        const range = address.range();
        if (range === "loopback" || range === "unspecified") {
            throw new ArgumentError(
                argument,
                `is ${value}, ${range === "loopback" ? "a loopback" : "an unspecified"} address; name a server on another machine (CIS 2.13)`,
            );
        }
        return { host: address.toString(), isName: false };
    }
    const name = value.toLowerCase().replace(/\.$/, "");
    if (!DNS_NAME.test(name) || /^[0-9.]+$/.test(name)) {
        throw new ArgumentError(argument, `must be a DNS name or an IP address, got ${JSON.stringify(value)}`);
    }
    if (name === "localhost" || name.endsWith(".localhost")) {
        throw new ArgumentError(argument, `is ${value}, this host; name a server on another machine (CIS 2.13)`);
    }
    return { host: name, isName: true };
}

/**
 * Validates PEM text holding CA certificates and returns them re-encoded. Nothing of the text goes
 * into a message: a pasted private key must not end up in a log.
 */
export function validateCaCertificate(argument: string, value: unknown): string {
    if (typeof value !== "string" || value.trim() === "") {
        throw new ArgumentError(
            argument,
            "is required: the PEM certificate of the CA that signed the server's certificate",
        );
    }
    const blocks = [...value.matchAll(PEM_BLOCK)];
    if (blocks.some((b) => b[1].includes("PRIVATE KEY")) || value.includes("PRIVATE KEY-----")) {
        throw new ArgumentError(argument, "contains a private key; give only the CA's certificate, which is public");
    }
    if (blocks.length === 0 || value.replace(PEM_BLOCK, "").trim() !== "") {
        throw new ArgumentError(
            argument,
            "must be PEM text of one or more certificates (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----) and nothing else",
        );
    }
    return blocks
        .map((block, i) => {
            if (block[1] !== "CERTIFICATE") {
                throw new ArgumentError(argument, `block ${i + 1} is a ${block[1]}, not a CERTIFICATE`);
            }
            try {
                return new X509Certificate(block[0]).toString();
            } catch {
                throw new ArgumentError(argument, `block ${i + 1} is not a valid X.509 certificate`);
            }
        })
        .join("");
}

/**
 * Validates the logging step's arguments and fills in the defaults. The HardenedHost component
 * calls it only when the step is enabled, so `remote` is required. Throws ArgumentError naming the
 * argument and what is allowed.
 */
export function validateLoggingArgs(args: LoggingArgs | undefined, _ctx: HostContext): LoggingPlan {
    const required = new ArgumentError(
        "args.logging.remote",
        'is required: { host, port?, protocol: "tcp", tls? }, the central log server (CIS 2.13)',
    );
    if (typeof args !== "object" || args === null) {
        throw required;
    }
    known("args.logging", args, ARGS);
    const remote = args.remote as unknown;
    if (typeof remote !== "object" || remote === null) {
        throw required;
    }
    known("args.logging.remote", remote, REMOTE_ARGS);
    const r = remote as Record<string, unknown>;
    const { host, isName } = validateHost(r.host);
    const protocol = r.protocol ?? LOGGING_DEFAULTS.protocol;
    if (protocol === "udp") {
        throw new ArgumentError(
            "args.logging.remote.protocol",
            'is "udp", which loses messages silently when the server or the network is down; use "tcp" (CIS 2.13)',
        );
    }
    if (protocol !== "tcp") {
        throw new ArgumentError("args.logging.remote.protocol", `must be "tcp", got ${JSON.stringify(protocol)}`);
    }
    let tls: LoggingPlan["tls"];
    if (r.tls !== undefined) {
        if (typeof r.tls !== "object" || r.tls === null) {
            throw new ArgumentError("args.logging.remote.tls", "must be an object { caCertificate, permittedPeer? }");
        }
        known("args.logging.remote.tls", r.tls, TLS_ARGS);
        const t = r.tls as Record<string, unknown>;
        const caPem = validateCaCertificate("args.logging.remote.tls.caCertificate", t.caCertificate);
        let permittedPeer: string;
        if (t.permittedPeer === undefined) {
            if (!isName) {
                throw new ArgumentError(
                    "args.logging.remote.tls.permittedPeer",
                    `is required when host is an IP address (${host}): the name in the server's certificate`,
                );
            }
            permittedPeer = host;
        } else if (typeof t.permittedPeer !== "string" || !PEER_NAME.test(t.permittedPeer.toLowerCase())) {
            throw new ArgumentError(
                "args.logging.remote.tls.permittedPeer",
                `must be the DNS name in the server's certificate, such as logs.example.com or *.example.com, got ${JSON.stringify(t.permittedPeer)}`,
            );
        } else {
            permittedPeer = t.permittedPeer.toLowerCase();
        }
        tls = { caPem, permittedPeer };
    }
    const port = integer(
        "args.logging.remote.port",
        r.port ?? (tls ? LOGGING_DEFAULTS.tlsPort : LOGGING_DEFAULTS.plainPort),
        1,
        65535,
    );
    const queueMaxDiskSpaceMb = integer(
        "args.logging.queueMaxDiskSpaceMb",
        args.queueMaxDiskSpaceMb ?? LOGGING_DEFAULTS.queueMaxDiskSpaceMb,
        16,
        1048576,
    );
    return { host, port, ...(tls ? { tls } : {}), queueMaxDiskSpaceMb };
}
