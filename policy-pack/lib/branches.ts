/**
 * Helpers for policies over several resource types whose properties differ (an EC2 instance and a
 * launch template), and for lists whose elements may be unknown during preview. They build on
 * policy.ts without changing it; they could move there.
 */
import type { ResourceValidation, ResourceValidationPolicy } from "@pulumi/policy";
import { known, resourcePolicy, type Branch, type HardenedPolicy, type PolicyMeta } from "./policy";

/** The branches that run on one resource type. */
export interface TypeBranches<C> {
    type: string;
    branches: Branch<never, C>[];
}

/** Pairs a type token with the branches for its properties, keeping each branch's props typed. */
export function forType<P, C = Record<string, unknown>>(type: string, branches: Branch<P, C>[]): TypeBranches<C> {
    return { type, branches };
}

/**
 * One policy whose branches depend on the resource's type: a `resourcePolicy` per type, served as
 * one validation that runs the one for the resource's type. One function, not a list of them: the
 * policy server deserializes a resource's properties once per validation it calls, and it calls
 * every function of a list on every resource of every type (bench/policy measured the difference).
 */
export function resourcePolicyByType<C = Record<string, unknown>>(
    meta: PolicyMeta,
    parts: TypeBranches<C>[],
): HardenedPolicy {
    const types = parts.map((p) => p.type);
    if (new Set(types).size !== types.length) {
        throw new Error(`${meta.name}: each resource type gets one set of branches, got ${types.join(", ")}`);
    }
    const policies = parts.map(
        (part) => resourcePolicy<never, C>(meta, [part.type], part.branches).policy as ResourceValidationPolicy,
    );
    const byType = new Map(parts.map((part, i) => [part.type, policies[i].validateResource as ResourceValidation]));
    const validate: ResourceValidation = (args, report) => byType.get(args.type)?.(args, report);
    if (parts.length === 1) {
        // Lets the server skip other types without calling the policy.
        (validate as unknown as { __pulumiType: string }).__pulumiType = parts[0].type;
    }
    return { meta, policy: { ...policies[0], validateResource: validate } };
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
