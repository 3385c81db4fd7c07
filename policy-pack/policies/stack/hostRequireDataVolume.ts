import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, TYPES, type StackFinding } from "../../lib/policy";
import {
    HOST_TAG,
    instanceAddresses,
    parseDockerHost,
    propertyDependencies,
    providerHost,
    read,
    StackIndex,
    stepIdOf,
} from "../../lib/stack";

/**
 * CIS 1.1.1: every Docker host of the stack keeps Docker's data on a dedicated volume. The hosts
 * are the stack's HardenedHost components, which must run their data-volume step, and its EC2
 * instances that serve Docker (part of a HardenedHost, tagged as one, named by a Docker provider's
 * host, or installing Docker from their user data), which must have an EBS volume attached
 * besides the root volume.
 */
export const hostRequireDataVolume = stackPolicy(
    {
        name: "docker-host-require-data-volume",
        description: "Every Docker host in the stack must have a dedicated data volume for Docker's data root.",
        cis: "1.1.1",
        severity: "high",
        enforcementLevel: "mandatory",
        remediation:
            "give the host a volume of its own for Docker's data root: on AWS attach an EBS volume (aws.ec2.VolumeAttachment, or ebsBlockDevices); with HardenedHost, keep its data-volume step (the target's dataDevice, or the EBS volume it creates).",
    },
    (resources) => {
        const index = new StackIndex(resources);
        const findings: StackFinding[] = [];
        // One pass over the stack, sorting out what the rule reads, not one per kind or per host:
        // the rule stays linear in the stack's size, and on a stack larger than the processor's
        // caches each resource is fetched from memory once.
        const stepsOf = new Map<string, PolicyResource[]>();
        const hosts: PolicyResource[] = [];
        const instances: PolicyResource[] = [];
        const attachments: PolicyResource[] = [];
        const dockerProviders: PolicyResource[] = [];
        for (const r of resources) {
            switch (r.type) {
                case TYPES.remoteCommand: {
                    const owner = index.hardenedHostOf(r);
                    if (owner !== undefined) {
                        const list = stepsOf.get(owner.urn);
                        if (list === undefined) {
                            stepsOf.set(owner.urn, [r]);
                        } else {
                            list.push(r);
                        }
                    }
                    break;
                }
                case TYPES.hardenedHost:
                    hosts.push(r);
                    break;
                case TYPES.awsInstance:
                    instances.push(r);
                    break;
                case TYPES.awsVolumeAttachment:
                    attachments.push(r);
                    break;
                case TYPES.dockerProvider:
                    dockerProviders.push(r);
                    break;
            }
        }
        const providers = new ProviderIndex(dockerProviders);
        for (const host of hosts) {
            const steps = stepsOf.get(host.urn) ?? [];
            const hasStep = steps.some(
                (r) => stepIdOf(r) === "data-volume" || (r.name === `${host.name}-data-volume` && unknownStdin(r)),
            );
            if (!hasStep) {
                findings.push({
                    resource: host,
                    message: `HardenedHost ${host.name} runs no data-volume step, so Docker's data root stays on the root filesystem; expected its data-volume step on a dedicated device (CIS 1.1.1).`,
                });
            }
        }
        const attached = attachedInstances(instances, attachments);
        for (const instance of instances) {
            const why = dockerHostReason(instance, index, providers);
            if (why === undefined || attached.has(instance.urn) || hasInlineVolumes(instance)) {
                continue;
            }
            findings.push({
                resource: instance,
                message: `instance ${instance.name} is a Docker host (${why}) with no data volume: no aws:ec2/volumeAttachment:VolumeAttachment names it and ebsBlockDevices is empty; expected a dedicated EBS volume for Docker's data root (CIS 1.1.1).`,
            });
        }
        return findings;
    },
);

function unknownStdin(r: PolicyResource): boolean {
    try {
        void r.props.stdin;
        return false;
    } catch {
        return true;
    }
}

/** URNs of the instances a VolumeAttachment names, by its instanceId's value or its dependency. */
function attachedInstances(instances: readonly PolicyResource[], attachments: readonly PolicyResource[]): Set<string> {
    const out = new Set<string>();
    const byId = new Map<string, string>();
    for (const r of instances) {
        const id = read(() => r.props.id);
        if (typeof id === "string" && id !== "") {
            byId.set(id, r.urn);
        }
    }
    for (const a of attachments) {
        for (const urn of propertyDependencies(a, "instanceId")) {
            out.add(urn);
        }
        const id = read(() => a.props.instanceId);
        if (typeof id === "string" && byId.has(id)) {
            out.add(byId.get(id)!);
        }
    }
    return out;
}

function hasInlineVolumes(instance: PolicyResource): boolean {
    const devices = read(() => instance.props.ebsBlockDevices);
    return Array.isArray(devices) && devices.length > 0;
}

/**
 * The stack's Docker providers (given in the stack's order) by what they point at: the instances
 * their `host` depends on, and the host names they name; the first provider in the stack's order
 * for each.
 */
class ProviderIndex {
    private readonly byDependency = new Map<string, number>();
    private readonly byHostname = new Map<string, number>();
    constructor(private readonly providers: readonly PolicyResource[]) {
        this.providers.forEach((p, i) => {
            for (const urn of propertyDependencies(p, "host")) {
                if (!this.byDependency.has(urn)) {
                    this.byDependency.set(urn, i);
                }
            }
            const host = providerHost(p);
            const hostname = host.state === "set" ? parseDockerHost(host.host)?.hostname : undefined;
            if (hostname && !this.byHostname.has(hostname)) {
                this.byHostname.set(hostname, i);
            }
        });
    }

    /** The first provider whose host depends on the instance or names one of its addresses. */
    pointingAt(instance: PolicyResource, addresses: string[]): PolicyResource | undefined {
        const found = [this.byDependency.get(instance.urn), ...addresses.map((a) => this.byHostname.get(a))].filter(
            (i): i is number => i !== undefined,
        );
        return found.length === 0 ? undefined : this.providers[Math.min(...found)];
    }
}

/** Why the instance counts as a Docker host, or undefined when nothing says it is one. */
function dockerHostReason(instance: PolicyResource, index: StackIndex, providers: ProviderIndex): string | undefined {
    const owner = index.hardenedHostOf(instance);
    if (owner !== undefined) {
        return `part of HardenedHost ${owner.name}`;
    }
    const tags = read(() => instance.props.tags);
    if (typeof tags === "object" && tags !== null && HOST_TAG in tags) {
        return `tagged ${HOST_TAG}`;
    }
    const p = providers.pointingAt(instance, instanceAddresses(instance));
    if (p !== undefined) {
        return `the Docker provider ${p.name} points at it`;
    }
    // The plain user data is there while the instance is planned; the provider's state keeps only
    // its hash afterwards, so a deployed instance counts through the other reasons.
    const userData = read(() => instance.props.userData);
    if (typeof userData === "string" && /\bdocker/i.test(userData)) {
        return "its user data sets up Docker";
    }
    return undefined;
}
