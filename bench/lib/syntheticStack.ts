/**
 * Synthetic stacks of any size for the policy benchmark, made of whole copies of real resources:
 * what the fleet program (bench/fleet.ts) registers for one host, and, every `insecureEvery` copies,
 * what the insecure example (examples/insecure) registers. Each copy's names, URNs, parents,
 * dependencies and providers get the copy's prefix, so the copies are distinct resources that
 * relate to each other exactly as the originals do.
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

/** One resource of copy `prefix`: its name and every URN it holds prefixed. */
export function renamed(r: AnalyzerInput, prefix: string): AnalyzerInput {
    const out: AnalyzerInput = {
        ...r,
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
        out.provider = { ...r.provider, name: `${prefix}${r.provider.name}`, urn: renameUrn(r.provider.urn, prefix) };
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
        for (const part of parts) {
            inputs.push(...part.inputs.map((r) => renamed(r, prefix)));
            outputs.push(...part.outputs.map((r) => renamed(r, prefix)));
        }
    }
    return { inputs, outputs };
}
