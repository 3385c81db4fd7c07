// Checks a --policy-pack-config file against the pack's policies and their config schemas, as the
// Pulumi CLI does before it runs the pack, and stricter: an unknown policy name or setting is an
// error here (a typo would otherwise leave the default in force without a word), and so is a rule
// (one policy per resource type) with a level or setting for some of its policies and none for the
// others; a rule whose policies are set differently gets a warning.
//   npm run policy:check-config -- policy-pack/org-config.example.json
import * as fs from "node:fs";
import Ajv from "ajv";
import type { HardenedPolicy } from "../policy-pack/lib/policy";
import { ALL_POLICIES } from "../policy-pack/policies";

export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;

/** The problems of a pack config, each naming the policy and setting; empty when it is valid. */
export function checkPolicyConfig(config: unknown, policies: readonly HardenedPolicy[] = ALL_POLICIES): string[] {
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        return ["the config must be a JSON object whose keys are policy names (or all)"];
    }
    const ajv = new Ajv({ allErrors: true, strict: false });
    const byName = new Map(policies.map((p) => [p.meta.name, p]));
    const errors: string[] = [];
    const levels = ENFORCEMENT_LEVELS.join(", ");
    for (const [name, value] of Object.entries(config as Record<string, unknown>)) {
        if (name === "all") {
            const level =
                typeof value === "object" && value !== null
                    ? (value as Record<string, unknown>).enforcementLevel
                    : value;
            if (!ENFORCEMENT_LEVELS.includes(level as (typeof ENFORCEMENT_LEVELS)[number])) {
                errors.push(`all: the enforcement level must be one of ${levels}, got ${JSON.stringify(level)}`);
            }
            continue;
        }
        const policy = byName.get(name);
        if (policy === undefined) {
            errors.push(`${name}: no such policy in the pack`);
            continue;
        }
        if (typeof value === "string") {
            if (!ENFORCEMENT_LEVELS.includes(value as (typeof ENFORCEMENT_LEVELS)[number])) {
                errors.push(`${name}: the enforcement level must be one of ${levels}, got ${JSON.stringify(value)}`);
            }
            continue;
        }
        const schema = policy.policy.configSchema;
        const validate = ajv.compile({
            type: "object",
            properties: {
                ...(schema?.properties ?? {}),
                enforcementLevel: { enum: [...ENFORCEMENT_LEVELS] },
            },
            ...(schema?.required === undefined ? {} : { required: schema.required }),
            additionalProperties: false,
        });
        if (!validate(value)) {
            for (const e of validate.errors ?? []) {
                const at = e.instancePath === "" ? "" : e.instancePath.slice(1).replace(/\//g, ".");
                const extra =
                    e.keyword === "additionalProperties"
                        ? ` (${(e.params as { additionalProperty: string }).additionalProperty}; settings: ${Object.keys(
                              schema?.properties ?? {},
                          ).join(", ")}, enforcementLevel)`
                        : e.keyword === "enum"
                          ? ` (${levels})`
                          : "";
                errors.push(`${name}${at === "" ? "" : `.${at}`}: ${e.message ?? "is invalid"}${extra}`);
            }
        }
    }
    return errors;
}

/** A value with its lists of scalars sorted (the settings' lists are sets: ports, drivers, names). */
function canonical(value: unknown): unknown {
    if (Array.isArray(value)) {
        const items = value.map(canonical);
        return items.every((v) => typeof v !== "object" || v === null)
            ? [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
            : items;
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([k, v]) => [k, canonical(v)]),
        );
    }
    return value;
}

/**
 * One policy's entry without its waivers, as canonical JSON; undefined when it sets nothing else.
 * With `all` (the level the config's `all` entry gives), the entry as the CLI applies it: a policy
 * without a level of its own runs at `all`'s (ReconcilePolicyPackConfig), so the result is only
 * undefined when `all` is.
 */
function settingsOf(value: unknown, all?: string): string | undefined {
    const rest: Record<string, unknown> =
        typeof value === "string"
            ? { enforcementLevel: value }
            : typeof value === "object" && value !== null && !Array.isArray(value)
              ? Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => k !== "waivers"))
              : {};
    if (all !== undefined && rest.enforcementLevel === undefined) {
        rest.enforcementLevel = all;
    }
    return Object.keys(rest).length === 0 ? undefined : JSON.stringify(canonical(rest));
}

/** The level the config's `all` entry gives every policy (a level, or an object with one), if valid. */
function allLevel(entries: Record<string, unknown>): string | undefined {
    const all = entries.all;
    const level = typeof all === "object" && all !== null ? (all as Record<string, unknown>).enforcementLevel : all;
    return ENFORCEMENT_LEVELS.includes(level as (typeof ENFORCEMENT_LEVELS)[number]) ? (level as string) : undefined;
}

/** What `ruleConfigProblems` finds. */
export interface RuleConfigProblems {
    /** A rule's policy with no level or setting while another policy of the rule has some. */
    errors: string[];
    /** A rule's policies set differently, each explicitly. */
    warnings: string[];
}

/**
 * The problems of a config with a rule over several resource types (one policy per type, such as
 * `aws-instance-require-imdsv2` and `aws-launch-template-require-imdsv2`), waivers aside: each
 * policy has its own level and settings, so a level or a setting given to one type's policy alone
 * leaves the others at their defaults, which may be weaker (a config written before 3.0.0, when
 * one policy covered every type, does this). That is an error: give the other policies the same
 * entry, or an entry of their own if the difference is meant. Two policies of a rule set
 * differently, each on purpose as far as the file shows, is a warning. Waivers name resources, so
 * they may differ; lists compare as sets. With an `all` entry, a policy without a level of its own
 * runs at `all`'s level, as the CLI applies it: a policy with no entry is then an error only when
 * that differs from what the rule's other policy is set to (a level alone, the same as `all`'s, is
 * no difference).
 */
export function ruleConfigProblems(
    config: unknown,
    policies: readonly HardenedPolicy[] = ALL_POLICIES,
): RuleConfigProblems {
    const out: RuleConfigProblems = { errors: [], warnings: [] };
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        return out;
    }
    const entries = config as Record<string, unknown>;
    const byRule = new Map<string, HardenedPolicy[]>();
    for (const p of policies) {
        byRule.set(p.rule, [...(byRule.get(p.rule) ?? []), p]);
    }
    const all = allLevel(entries);
    for (const [rule, group] of byRule) {
        if (group.length < 2) {
            continue;
        }
        // What each policy's own entry sets, and what it runs with once `all` is applied.
        const own = group.map((p) => settingsOf(entries[p.meta.name]));
        const set = group.map((p) => settingsOf(entries[p.meta.name], all));
        const ref = own.findIndex((s) => s !== undefined);
        if (ref === -1) {
            continue;
        }
        const other = `${group[ref].meta.name} (${group[ref].resourceType}) is set to ${set[ref]}`;
        group.forEach((p, i) => {
            const self = `${p.meta.name} (${p.resourceType})`;
            if (own[i] === undefined && all === undefined) {
                out.errors.push(
                    `${self} has no level or setting, while ${other}: both apply the rule ${rule}, each to its own resource type, so ${p.meta.name} keeps its defaults; give it the same entry, or its own if the difference is meant`,
                );
            } else if (own[i] === undefined && set[i] !== set[ref]) {
                out.errors.push(
                    `${self} has no level or setting of its own, so it runs at the level all gives (${all}) with its default settings, while ${other}: both apply the rule ${rule}, each to its own resource type; give it the same entry, or its own if the difference is meant`,
                );
            } else if (own[i] !== undefined && set[i] !== set[ref]) {
                out.warnings.push(
                    `${self} is set to ${set[i]}, while ${other}: both apply the rule ${rule}, each to its own resource type; set them alike unless the difference is meant`,
                );
            }
        });
    }
    return out;
}

if (require.main === module) {
    const file = process.argv[2];
    if (file === undefined) {
        console.error("usage: npm run policy:check-config -- <policy-pack-config.json>");
        process.exit(2);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        console.error(`${file}: ${(e as Error).message}`);
        process.exit(1);
    }
    const rules = ruleConfigProblems(parsed);
    const errors = [...checkPolicyConfig(parsed), ...rules.errors];
    for (const e of errors) {
        console.error(`${file}: ${e}`);
    }
    if (errors.length > 0) {
        process.exit(1);
    }
    for (const w of rules.warnings) {
        console.error(`${file}: warning: ${w}`);
    }
    console.log(`${file}: valid for the ${ALL_POLICIES.length} policies of the pack`);
}
