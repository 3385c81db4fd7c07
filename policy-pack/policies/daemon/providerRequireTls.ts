import { decodeProviderInput, endpointForMessage } from "../../lib/stack";
import { resourcePolicy, TYPES } from "../../lib/policy";

/**
 * The properties of `@pulumi/docker` 5.2.0's Provider that the policy reads, as the engine sends
 * them. A test checks the names against the SDK's ProviderArgs.
 */
export interface DockerProviderProps {
    host?: string;
    context?: string;
    caMaterial?: string;
    certMaterial?: string;
    keyMaterial?: string;
    certPath?: string;
}

/** Schemes whose transport is not plain TCP: the socket, SSH, a Windows named pipe. */
const LOCAL_OR_SSH = ["unix", "ssh", "npipe", "fd"];

/**
 * A provider input as text: the engine may send a provider's inputs JSON-encoded (`"\"tcp://...\""`),
 * or plain. Empty is absent.
 */
function text(value: unknown): string | undefined {
    const v = decodeProviderInput(value);
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

const MATERIAL = ["caMaterial", "certMaterial", "keyMaterial"] as const;

/** CIS 2.7, from the client's side: the Docker provider reaches a TCP daemon only with TLS client certificates. */
export const providerRequireTls = resourcePolicy<DockerProviderProps>(
    {
        name: "docker-provider-require-tls",
        description: "Docker providers must reach a daemon over TCP only with TLS client certificates.",
        cis: "2.7",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation:
            "connect over ssh:// (HardenedHost's dockerEndpoint), or give caMaterial, certMaterial and keyMaterial (or certPath) for a daemon that verifies clients (tlsverify).",
    },
    TYPES.dockerProvider,
    [
        (p) => {
            // Absent, the provider uses DOCKER_HOST of the process that runs it (the SDK already
            // copied the program's DOCKER_HOST into `host`), else the local Unix socket: nothing
            // the pack can see. A context overrides the host, and its endpoint is not sent either.
            const host = text(p.host);
            if (host === undefined || text(p.context) !== undefined) {
                return undefined;
            }
            const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(host)?.[1].toLowerCase();
            if (scheme !== undefined && LOCAL_OR_SSH.includes(scheme)) {
                return undefined;
            }
            if (text(p.certPath) !== undefined) {
                return undefined;
            }
            // Secret material is only tested for presence, never shown.
            const missing = MATERIAL.filter((k) => text(p[k]) === undefined);
            if (missing.length === 0) {
                return undefined;
            }
            const list =
                missing.length === 1
                    ? missing[0]
                    : `${missing.slice(0, -1).join(", ")} and ${missing[missing.length - 1]}`;
            // Without any user:password the address may carry.
            return `host is ${JSON.stringify(endpointForMessage(host))}, a TCP endpoint, but ${list} ${missing.length === 1 ? "is" : "are"} not set (nor certPath); expected TLS with a client certificate (CIS 2.7).`;
        },
    ],
);
