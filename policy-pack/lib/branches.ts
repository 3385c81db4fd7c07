/**
 * Helpers for rules over several resource types whose properties differ (an EC2 instance and a
 * launch template), and for lists whose elements may be unknown during preview. They build on
 * policy.ts.
 */
import { known, resourcePolicy, type Branch, type HardenedPolicy, type PolicyMeta } from "./policy";

/** The branches that run on one resource type, and the name of the policy that runs them. */
export interface TypeBranches<C> {
    type: string;
    branches: Branch<never, C>[];
    /** The policy's name; the rule's own name when omitted (only the first type may omit it). */
    name?: string;
}

/**
 * Pairs a type token with the branches for its properties, keeping each branch's props typed, and
 * with the name of the policy that runs them on that type (omitted for the rule's first type).
 */
export function forType<P, C = Record<string, unknown>>(
    type: string,
    branches: Branch<P, C>[],
    name?: string,
): TypeBranches<C> {
    return name === undefined ? { type, branches } : { type, branches, name };
}

/**
 * One rule over several resource types, as one policy per type: the first under the rule's name,
 * each other under its own (`aws-launch-template-require-imdsv2` beside
 * `aws-instance-require-imdsv2`). All share the rule's description, control, severity, default
 * level, remediation and settings; each has its own level and waivers in the pack's config.
 *
 * Why not one policy whose function dispatches on the type: the policy server deserializes a
 * resource's properties for every policy it calls on it, and it skips a policy without calling it
 * only when the policy's one function carries one type. A policy over two types costs every resource
 * of every type a deserialization; bench/policy measured the pack 1.57-1.70 times awsguard's time
 * per AWS resource that way, and about as fast as awsguard with one type per policy
 * (docs/performance.md has the current ratios).
 */
export function resourcePolicyByType<C = Record<string, unknown>>(
    meta: PolicyMeta,
    parts: TypeBranches<C>[],
): HardenedPolicy[] {
    const types = parts.map((p) => p.type);
    if (new Set(types).size !== types.length) {
        throw new Error(`${meta.name}: each resource type gets one set of branches, got ${types.join(", ")}`);
    }
    const names = parts.map((part, i) => {
        if (i === 0 && part.name !== undefined && part.name !== meta.name) {
            throw new Error(`${meta.name}: the policy for ${part.type}, the first type, has the rule's name`);
        }
        if (i > 0 && part.name === undefined) {
            throw new Error(`${meta.name}: the policy for ${part.type} needs a name of its own`);
        }
        return part.name ?? meta.name;
    });
    if (new Set(names).size !== names.length) {
        throw new Error(`${meta.name}: each resource type gets a policy name of its own, got ${names.join(", ")}`);
    }
    return parts.map((part, i) =>
        resourcePolicy<never, C>({ ...meta, name: names[i] }, part.type, part.branches, meta.name),
    );
}

/**
 * A list's elements, each one unknown during preview read as undefined; none for a missing list or
 * a value that is not a list. An unknown list throws, which skips the whole branch.
 */
export function knownItems(list: unknown): unknown[] {
    if (!Array.isArray(list)) {
        return [];
    }
    const items: readonly unknown[] = list;
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) {
        out.push(known(() => items[i]));
    }
    return out;
}

/** An object a check can read fields of: not null, not a list, not a scalar. */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Runs `check` on each element of a list of objects: an element, or a field that `check` reads,
 * unknown during preview yields nothing for that element alone, so the known ones are still
 * checked; so does an element that is not an object (null, for one), which the provider would
 * reject, rather than failing the whole preview. An unknown list throws, which skips the whole
 * branch.
 */
export function eachKnown<T extends object>(
    list: readonly T[] | undefined | null,
    check: (item: T, index: number) => string | string[] | undefined,
): string[] {
    const out: string[] = [];
    knownItems(list).forEach((item, i) => {
        if (!isRecord(item)) {
            return;
        }
        const r = known(() => check(item as T, i));
        if (typeof r === "string") {
            out.push(r);
        } else if (Array.isArray(r)) {
            out.push(...r);
        }
    });
    return out;
}
