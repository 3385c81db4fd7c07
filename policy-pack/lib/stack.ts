import type { PolicyResource } from "@pulumi/policy";
import { known, TYPES } from "./policy";

/**
 * What the stack policies read across resources: the parent chain, the hosts this stack hardens,
 * the Docker hosts it creates, and where a Docker provider points. Pure functions over the
 * resources AnalyzeStack receives; a value unknown during preview reads as undefined.
 */

/** The first line every hardened-docker step script starts with, before its step id. */
export const STEP_HEADER = "#!/bin/bash\n# hardened-docker step: ";

/** The tag HardenedHost puts on every AWS resource of a host. */
export const HOST_TAG = "hardened-docker:host";

/** A Docker endpoint, split: `ssh://admin@192.0.2.10:22` → scheme ssh, hostname 192.0.2.10. */
export interface DockerEndpoint {
    scheme: string;
    hostname: string;
    port?: number;
}

/** Parses a Docker host URI (`ssh://`, `tcp://`, `unix://`, `npipe://`, `http(s)://`). */
export function parseDockerHost(host: string): DockerEndpoint | undefined {
    const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(host.trim());
    if (m === null) {
        return undefined;
    }
    const scheme = m[1].toLowerCase();
    if (scheme === "unix" || scheme === "npipe") {
        return { scheme, hostname: "" };
    }
    let rest = m[2].replace(/[/?#].*$/s, "");
    rest = rest.slice(rest.lastIndexOf("@") + 1);
    const bracketed = /^\[([^\]]+)\](?::([0-9]+))?$/.exec(rest);
    if (bracketed !== null) {
        return { scheme, hostname: bracketed[1].toLowerCase(), ...portOf(bracketed[2]) };
    }
    const plain = /^([^:]+)(?::([0-9]+))?$/.exec(rest);
    if (plain === null) {
        return undefined;
    }
    return { scheme, hostname: plain[1].toLowerCase(), ...portOf(plain[2]) };
}

function portOf(port: string | undefined): { port?: number } {
    return port === undefined ? {} : { port: Number(port) };
}

/** A value read without tripping on unknowns: undefined when unknown or absent. */
export function read<T>(f: () => T): T | undefined {
    try {
        return known(f);
    } catch {
        return undefined;
    }
}

function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

/** Parent links walked without a cycle guard before StackIndex.hardenedHostOf falls back to chain(). */
const SHORT_CHAIN = 32;

/** The stack's resources by URN, with parent-chain look-ups. */
export class StackIndex {
    readonly byUrn: Map<string, PolicyResource>;

    constructor(readonly resources: PolicyResource[]) {
        this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    }

    /** The resource and its ancestors, nearest first. */
    chain(r: PolicyResource): PolicyResource[] {
        const out: PolicyResource[] = [];
        const seen = new Set<string>();
        let cur: PolicyResource | undefined = r;
        while (cur !== undefined && !seen.has(cur.urn)) {
            out.push(cur);
            seen.add(cur.urn);
            cur = cur.parent === undefined ? undefined : this.byUrn.get(cur.parent.urn);
        }
        return out;
    }

    /** The nearest HardenedHost component the resource belongs to (itself included). */
    hardenedHostOf(r: PolicyResource): PolicyResource | undefined {
        // Every command and instance of a stack asks this: walk without allocating (a chain of a
        // few components), and only a chain longer than any real nesting pays for chain()'s guard
        // against a cycle.
        let cur: PolicyResource | undefined = r;
        for (let depth = 0; cur !== undefined; depth++) {
            if (depth === SHORT_CHAIN) {
                return this.chain(r).find((x) => x.type === TYPES.hardenedHost);
            }
            if (cur.type === TYPES.hardenedHost) {
                return cur;
            }
            cur = cur.parent === undefined ? undefined : this.byUrn.get(cur.parent.urn);
        }
        return undefined;
    }

    /** The resource's provider as a resource of this stack, when the stack holds it. */
    providerOf(r: PolicyResource): PolicyResource | undefined {
        return r.provider === undefined ? undefined : this.byUrn.get(r.provider.urn);
    }
}

/** The id of the hardened-docker step a command runs, read from its script; undefined if none or unknown. */
export function stepIdOf(command: PolicyResource): string | undefined {
    if (command.type !== TYPES.remoteCommand) {
        return undefined;
    }
    const stdin = read(() => str(command.props.stdin));
    if (stdin === undefined || !stdin.startsWith(STEP_HEADER)) {
        return undefined;
    }
    const m = /^([a-z][a-z0-9-]*)\./.exec(stdin.slice(STEP_HEADER.length));
    return m === null ? undefined : m[1];
}

/** The host a remote command connects to, lower-cased; undefined when unknown. */
export function connectionHost(command: PolicyResource): string | undefined {
    const host = read(() => str((command.props.connection as { host?: unknown } | undefined)?.host));
    return host === undefined || host === "" ? undefined : host.toLowerCase().replace(/^\[|\]$/g, "");
}

/** A provider's `host` input: set, absent (the provider falls back to DOCKER_HOST), or unknown during preview. */
export type ProviderHost = { state: "set"; host: string } | { state: "absent" } | { state: "unknown" };

export function providerHost(provider: { props: Record<string, unknown> }): ProviderHost {
    let host: unknown;
    try {
        host = provider.props.host;
    } catch {
        // Reading an unknown value throws (UnknownValueError).
        return { state: "unknown" };
    }
    host = decodeProviderInput(host);
    return typeof host === "string" && host !== "" ? { state: "set", host } : { state: "absent" };
}

/**
 * A provider input as the policies read it: the engine may send a provider's inputs JSON-encoded,
 * so a quoted string is decoded; anything else is returned as it is.
 */
export function decodeProviderInput(value: unknown): unknown {
    if (typeof value === "string" && value.startsWith('"')) {
        try {
            const decoded: unknown = JSON.parse(value);
            return typeof decoded === "string" ? decoded : value;
        } catch {
            // Not JSON: the text itself.
        }
    }
    return value;
}

/**
 * The endpoint as allow-list patterns see it: `scheme://[user@]host[:port]`, lower-cased, with
 * nothing after the authority (a path, query or fragment is no part of the host Docker reaches).
 */
export function endpointUri(host: string, e: DockerEndpoint): string {
    const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(host.trim());
    const authority = m === null ? "" : m[1];
    const at = authority.lastIndexOf("@");
    const user = at < 0 ? "" : `${authority.slice(0, at).split(":")[0].toLowerCase()}@`;
    const name = e.hostname.includes(":") ? `[${e.hostname}]` : e.hostname;
    return `${e.scheme}://${user}${name}${e.port === undefined ? "" : `:${e.port}`}`;
}

/** A Docker endpoint for a message: scheme, host and port, without any user or password in it. */
export function endpointForMessage(host: string): string {
    const e = parseDockerHost(host);
    if (e === undefined) {
        // No scheme: Docker reads `host:port` as TCP. Anything before an @ goes.
        const bare = host.trim().replace(/^.*@/s, "");
        return /^[A-Za-z0-9.:[\]-]+$/.test(bare) ? bare : "an endpoint that is not a URI";
    }
    if (e.hostname === "") {
        return `${e.scheme}://${host
            .trim()
            .replace(/^[a-z]+:\/\//i, "")
            .replace(/[?#].*$/s, "")}`;
    }
    const name = e.hostname.includes(":") ? `[${e.hostname}]` : e.hostname;
    return `${e.scheme}://${name}${e.port === undefined ? "" : `:${e.port}`}`;
}

/**
 * The hosts this stack hardens: every HardenedHost component, with the names and addresses its
 * steps connect to and its instance's addresses.
 */
export interface HardenedHostInfo {
    component: PolicyResource;
    /** Host names and addresses that reach the host, lower-cased; empty while unknown. */
    addresses: Set<string>;
    /** URNs of the host's resources (its instance, steps, provider, ...). */
    members: Set<string>;
}

export function hardenedHosts(index: StackIndex): HardenedHostInfo[] {
    const hosts = new Map<string, HardenedHostInfo>();
    for (const r of index.resources) {
        if (r.type === TYPES.hardenedHost) {
            hosts.set(r.urn, { component: r, addresses: new Set(), members: new Set([r.urn]) });
        }
    }
    for (const r of index.resources) {
        const owner = index.hardenedHostOf(r);
        const info = owner === undefined ? undefined : hosts.get(owner.urn);
        if (info === undefined) {
            continue;
        }
        info.members.add(r.urn);
        const host = r.type === TYPES.remoteCommand ? connectionHost(r) : undefined;
        if (host !== undefined) {
            info.addresses.add(host);
        }
        if (r.type === TYPES.awsInstance) {
            instanceAddresses(r).forEach((a) => info.addresses.add(a));
        }
    }
    return [...hosts.values()];
}

/** An EC2 instance's known addresses and DNS names, lower-cased. */
export function instanceAddresses(instance: PolicyResource): string[] {
    return ["publicIp", "privateIp", "publicDns", "privateDns"]
        .map((key) => read(() => str(instance.props[key])))
        .filter((v): v is string => v !== undefined && v !== "")
        .map((v) => v.toLowerCase());
}

/** The resources a property depends on, by URN: what the engine recorded for that input. */
export function propertyDependencies(r: PolicyResource, key: string): string[] {
    return (r.propertyDependencies?.[key] ?? []).map((d) => d.urn);
}
