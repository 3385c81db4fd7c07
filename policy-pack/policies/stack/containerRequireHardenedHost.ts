import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, TYPES, type StackFinding } from "../../lib/policy";
import {
    endpointForMessage,
    endpointUri,
    hardenedHosts,
    parseDockerHost,
    propertyDependencies,
    providerHost,
    StackIndex,
} from "../../lib/stack";
import { globToRegExp } from "../../lib/waivers";

interface Config {
    allowedHosts: string[];
}

/**
 * CIS 1.2.1: containers run only on hosts this stack hardens. A container's Docker provider must
 * belong to a HardenedHost of the stack, or point (by host name or address) at a host whose
 * hardening steps the stack runs, or match the organisation's allow-list of hosts hardened
 * elsewhere. Without that, every host and daemon control (sections 1 to 3) is out of the stack's
 * hands: the container lands on whatever daemon the provider names.
 */
export const containerRequireHardenedHost = stackPolicy<Config>(
    {
        name: "docker-container-require-hardened-host",
        description:
            "Docker containers must run against a provider whose host this stack hardens, or a host on the allow-list.",
        cis: "1.2.1",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation:
            "deploy the container with the provider of a HardenedHost (or a DockerDaemon on one) of this stack, or add the host, hardened elsewhere, to allowedHosts.",
        config: {
            allowedHosts: {
                type: "array",
                items: { type: "string", minLength: 1 },
                description:
                    "Docker hosts hardened outside this stack: patterns (* is a wildcard) matched against the provider's host URI (ssh://deploy@build-01.example.net:22) or its host name alone.",
                default: [],
            },
        },
    },
    (resources, config) => {
        const index = new StackIndex(resources);
        const hosts = hardenedHosts(index);
        const members = new Set(hosts.flatMap((h) => [...h.members]));
        const addresses = new Set(hosts.flatMap((h) => [...h.addresses]));
        const allowed = (config.allowedHosts ?? []).map((p) => globToRegExp(p.toLowerCase()));
        const findings: StackFinding[] = [];
        for (const r of resources) {
            if (r.type !== TYPES.container) {
                continue;
            }
            const why = verdict(r, index, members, addresses, allowed);
            if (why !== undefined) {
                findings.push({ resource: r, message: `container ${r.name} ${why} (CIS 1.2.1).` });
            }
        }
        return findings;
    },
);

/** Undefined when the container's host is hardened, allowed or not known yet; else why not. */
function verdict(
    container: PolicyResource,
    index: StackIndex,
    members: Set<string>,
    addresses: Set<string>,
    allowed: RegExp[],
): string | undefined {
    const provider = container.provider;
    if (provider === undefined) {
        return "has no provider the engine names, so the host it runs on cannot be checked; expected the provider of a host this stack hardens";
    }
    const inStack = index.providerOf(container);
    if (inStack !== undefined && index.chain(inStack).some((x) => members.has(x.urn))) {
        return undefined;
    }
    const host = providerHost(provider);
    const label = `the Docker provider ${provider.name}`;
    const from = inStack === undefined ? [] : propertyDependencies(inStack, "host");
    if (host.state === "unknown") {
        // Known at the next preview. Until then its origin decides: a value made by a resource of
        // a hardened host passes, one made by any other resource of the stack does not.
        if (from.length === 0 || from.some((urn) => members.has(urn))) {
            return undefined;
        }
        const names = from.map((urn) => index.byUrn.get(urn)?.name ?? urn.split("::").pop()).join(", ");
        return `runs against ${label}, whose host is not known yet and comes from ${names}, which no HardenedHost of this stack includes; expected the provider of a HardenedHost of this stack, or an allowed host`;
    }
    if (host.state === "absent") {
        return `runs against ${label}, which sets no host, so it reaches whatever DOCKER_HOST names where pulumi runs; expected the provider of a host this stack hardens, or a host on allowedHosts`;
    }
    const endpoint = parseDockerHost(host.host);
    // Patterns match the parsed endpoint, never the raw text: a fragment or path cannot fake a name.
    const candidates =
        endpoint === undefined
            ? []
            : endpoint.hostname === ""
              ? [host.host.trim().replace(/[?#].*$/s, "")]
              : [endpointUri(host.host, endpoint), endpoint.hostname];
    if (allowed.some((re) => candidates.some((c) => re.test(c)))) {
        return undefined;
    }
    if (endpoint !== undefined && endpoint.hostname !== "" && addresses.has(endpoint.hostname)) {
        return undefined;
    }
    if (from.some((urn) => members.has(urn))) {
        return undefined;
    }
    return `runs against ${label}, whose host ${endpointForMessage(host.host)} is neither a host this stack hardens nor on allowedHosts; expected the provider of a HardenedHost of this stack, or an allowed host`;
}
