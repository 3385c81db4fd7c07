import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** An organisation's exception to one policy, for the resources its pattern names. */
export interface PolicyWaiver {
    /** A resource name or URN; `*` matches any run of characters. */
    resource: string;
    /** Why the exception is acceptable; a waiver without one does not apply. */
    justification: string;
    /** Last day (UTC, `YYYY-MM-DD`) on which the waiver applies. */
    expires?: string;
}

/** JSON schema of the `waivers` setting that every policy takes. */
export const WAIVERS_SCHEMA: PolicyConfigJSONSchema = {
    type: "array",
    description:
        "Exceptions by resource name or URN pattern (* is a wildcard), each with a justification and an optional expiry date.",
    items: {
        type: "object",
        properties: {
            resource: { type: "string", minLength: 1 },
            justification: { type: "string", minLength: 10 },
            expires: { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" },
        },
        required: ["resource", "justification"],
        additionalProperties: false,
    },
    default: [],
};

/** A pattern where `*` matches any run of characters, as a RegExp over the whole text. */
export function globToRegExp(pattern: string): RegExp {
    const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
    return new RegExp(`^${escaped}$`);
}

/** The outcome of looking a resource up in the waivers. */
export type WaiverMatch =
    | { status: "waived"; waiver: PolicyWaiver }
    | { status: "none" }
    /** A waiver names the resource but does not apply: say why in the violation. */
    | { status: "ignored"; why: string };

/**
 * Finds the waiver for a resource. A waiver applies when its pattern matches the resource's name or
 * URN, it has a justification of at least 10 characters, and its expiry date (if any) is today or
 * later.
 */
export function findWaiver(waivers: unknown, name: string, urn: string, now: Date = new Date()): WaiverMatch {
    if (!Array.isArray(waivers)) {
        return { status: "none" };
    }
    let ignored: string | undefined;
    for (const w of waivers as PolicyWaiver[]) {
        if (typeof w !== "object" || w === null || typeof w.resource !== "string") {
            continue;
        }
        const re = globToRegExp(w.resource);
        if (!re.test(name) && !re.test(urn)) {
            continue;
        }
        if (typeof w.justification !== "string" || w.justification.trim().length < 10) {
            ignored = `waiver "${w.resource}" has no justification`;
            continue;
        }
        if (w.expires !== undefined) {
            const end = Date.parse(`${w.expires}T23:59:59.999Z`);
            if (Number.isNaN(end)) {
                ignored = `waiver "${w.resource}" has an invalid expiry date`;
                continue;
            }
            if (end < now.getTime()) {
                ignored = `waiver "${w.resource}" expired on ${w.expires}`;
                continue;
            }
        }
        return { status: "waived", waiver: w };
    }
    return ignored === undefined ? { status: "none" } : { status: "ignored", why: ignored };
}
