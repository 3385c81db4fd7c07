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
 * One policy whose branches depend on the resource's type: a `resourcePolicy` per type (each
 * returns at once on other types), served as one policy with a list of validations.
 */
export function resourcePolicyByType<C = Record<string, unknown>>(
    meta: PolicyMeta,
    parts: TypeBranches<C>[],
): HardenedPolicy {
    const policies = parts.map((part) => resourcePolicy<never, C>(meta, [part.type], part.branches));
    const validations = policies.map(
        (p) => (p.policy as ResourceValidationPolicy).validateResource as ResourceValidation,
    );
    return { meta, policy: { ...(policies[0].policy as ResourceValidationPolicy), validateResource: validations } };
}

/**
 * Runs `check` on each element of a list: an element, or a field that `check` reads, unknown
 * during preview yields nothing for that element alone, so the known ones are still checked. An
 * unknown list throws, which skips the whole branch.
 */
export function eachKnown<T>(
    list: readonly T[] | undefined | null,
    check: (item: T, index: number) => string | string[] | undefined,
): string[] {
    const out: string[] = [];
    const items = list ?? [];
    for (let i = 0; i < items.length; i++) {
        const r = known(() => check(items[i], i));
        if (typeof r === "string") {
            out.push(r);
        } else if (Array.isArray(r)) {
            out.push(...r);
        }
    }
    return out;
}
