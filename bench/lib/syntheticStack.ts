/**
 * Synthetic stacks of any size for the policy benchmark, made of whole copies of real resources:
 * what the fleet program (bench/fleet.ts) registers for one host, and, every `insecureEvery` copies,
 * what the insecure example (examples/insecure) registers. Each copy's names, URNs, parents,
 * dependencies and providers get the copy's prefix, and each part of a copy its own instance and
 * volume ids and addresses (the mocks give every instance the same ones), so the copies are distinct
 * resources that relate to each other exactly as the originals do, and to nothing else.
 */
import type { AnalyzerInput } from "../../test/harness/policyPack";

/** A group of resources as the analyzer sees them: inputs (Analyze) and outputs (AnalyzeStack). */
export interface StackPart {
    inputs: AnalyzerInput[];
    outputs: AnalyzerInput[];
}

export interface StackTemplate {
    /** One fleet host, with its daemon, network, volume, containers and audit. */
    fleet: StackPart;
    /** The insecure example: every rule of the pack broken once. */
    insecure: StackPart;
}

function renameUrn(urn: string, prefix: string): string {
    const i = urn.lastIndexOf("::");
    return i < 0 ? urn : `${urn.slice(0, i + 2)}${prefix}${urn.slice(i + 2)}`;
}

/** What the test mocks (test/harness/mocks.ts) give every instance and volume. */
export const MOCK_IDENTITY = Object.freeze({
    instanceId: "i-0123456789abcdef0",
    volumeId: "vol-0123456789abcdef0",
    privateIp: "10.0.1.23",
    publicIp: "198.51.100.23",
});

/** The ids and addresses of part `ordinal` of the stack: 10.1.0.0/16 inside, 198.18.0.0/15 (benchmarking) outside. */
export function identityOf(ordinal: number): Record<keyof typeof MOCK_IDENTITY, string> {
    const host = `${Math.floor(ordinal / 250)}.${(ordinal % 250) + 1}`;
    const hex = (0x1000000 + ordinal).toString(16).padStart(17, "0");
    return { instanceId: `i-${hex}`, volumeId: `vol-${hex}`, privateIp: `10.1.${host}`, publicIp: `198.18.${host}` };
}

/** The value with every occurrence of each key replaced; unchanged parts stay the very same objects. */
export function substituted(value: unknown, pairs: readonly [string, string][]): unknown {
    if (typeof value === "string") {
        let out = value;
        for (const [from, to] of pairs) {
            if (out.includes(from)) {
                out = out.split(from).join(to);
            }
        }
        return out;
    }
    if (Array.isArray(value)) {
        const items = value.map((v) => substituted(v, pairs));
        return items.every((v, i) => v === value[i]) ? value : items;
    }
    if (typeof value === "object" && value !== null) {
        const entries = Object.entries(value).map(([k, v]) => [k, substituted(v, pairs)] as const);
        return entries.every(([k, v]) => v === (value as Record<string, unknown>)[k])
            ? value
            : Object.fromEntries(entries);
    }
    return value;
}

/** One resource of copy `prefix`: its name and every URN it holds prefixed, the mocks' ids and addresses replaced. */
export function renamed(r: AnalyzerInput, prefix: string, pairs: readonly [string, string][] = []): AnalyzerInput {
    const out: AnalyzerInput = {
        ...r,
        props: substituted(r.props, pairs) as Record<string, unknown>,
        name: `${prefix}${r.name}`,
        ...(r.urn === undefined ? {} : { urn: renameUrn(r.urn, prefix) }),
        ...(r.parent === undefined || r.parent === "" ? {} : { parent: renameUrn(r.parent, prefix) }),
        ...(r.dependencies === undefined ? {} : { dependencies: r.dependencies.map((d) => renameUrn(d, prefix)) }),
    };
    if (r.propertyDependencies !== undefined) {
        out.propertyDependencies = Object.fromEntries(
            Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map((d) => renameUrn(d, prefix))]),
        );
    }
    // A default provider (default_<pkg>) is shared by the whole stack; an explicit one is the copy's.
    if (r.provider !== undefined && !r.provider.name.startsWith("default_")) {
        out.provider = {
            ...r.provider,
            props: substituted(r.provider.props, pairs) as Record<string, unknown>,
            name: `${prefix}${r.provider.name}`,
            urn: renameUrn(r.provider.urn, prefix),
        };
    }
    return out;
}

/** The copies that make a stack of at least `size` resources (counted as AnalyzeStack sees them). */
export function copiesFor(template: StackTemplate, size: number, insecureEvery: number): number {
    const fleet = template.fleet.outputs.length;
    const insecure = template.insecure.outputs.length;
    let copies = 0;
    let total = 0;
    while (total < size) {
        total += fleet + (copies % insecureEvery === 0 ? insecure : 0);
        copies += 1;
    }
    return copies;
}

/** A stack of `copies` fleet hosts, with the insecure example in copies 0, insecureEvery, ... */
export function syntheticStack(template: StackTemplate, copies: number, insecureEvery: number): StackPart {
    const inputs: AnalyzerInput[] = [];
    const outputs: AnalyzerInput[] = [];
    for (let k = 0; k < copies; k++) {
        const prefix = `c${String(k).padStart(5, "0")}-`;
        const parts = k % insecureEvery === 0 ? [template.fleet, template.insecure] : [template.fleet];
        parts.forEach((part, i) => {
            const id = identityOf(2 * k + i);
            const pairs = (Object.keys(MOCK_IDENTITY) as (keyof typeof MOCK_IDENTITY)[]).map(
                (key) => [MOCK_IDENTITY[key], id[key]] as [string, string],
            );
            inputs.push(...part.inputs.map((r) => renamed(r, prefix, pairs)));
            outputs.push(...part.outputs.map((r) => renamed(r, prefix, pairs)));
        });
    }
    return { inputs, outputs };
}
