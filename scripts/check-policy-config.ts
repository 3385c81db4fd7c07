// Checks a --policy-pack-config file against the pack's policies and their config schemas, as the
// Pulumi CLI does before it runs the pack, and stricter: an unknown policy name or setting is an
// error here (a typo would otherwise leave the default in force without a word), and so is a rule
// (one policy per resource type) whose policy runs with a default or `all`'s level where another
// of its policies sets something else; a rule whose policies are set differently gets a warning.
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
            const level = allEntryLevel(value);
            if (!isLevel(level)) {
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

/** What the config's `all` entry gives as the level: the entry itself, or its enforcementLevel. */
function allEntryLevel(all: unknown): unknown {
    return typeof all === "object" && all !== null ? (all as Record<string, unknown>).enforcementLevel : all;
}

function isLevel(level: unknown): level is (typeof ENFORCEMENT_LEVELS)[number] {
    return ENFORCEMENT_LEVELS.includes(level as (typeof ENFORCEMENT_LEVELS)[number]);
}

/** The level the config's `all` entry gives every policy (a level, or an object with one), if valid. */
function allLevel(entries: Record<string, unknown>): string | undefined {
    const level = allEntryLevel(entries.all);
    return isLevel(level) ? level : undefined;
}

/** Where a policy's value of a field comes from. */
type Source = "entry" | "all" | "default";

/** What one policy runs with, field by field (waivers aside), as canonical JSON, and from where. */
interface Effective {
    values: Map<string, string>;
    from: Map<string, Source>;
}

/**
 * What a policy runs with, as the CLI reconciles it (ReconcilePolicyPackConfig): its schema's
 * defaults and its own level, then `all`'s level, then its own entry (a level, or an object of
 * settings and a level). Waivers name resources, so they are left out.
 */
function effectiveOf(policy: HardenedPolicy, entry: unknown, all: string | undefined): Effective {
    const values = new Map<string, string>();
    const from = new Map<string, Source>();
    const set = (k: string, v: unknown, source: Source) => {
        values.set(k, JSON.stringify(canonical(v)));
        from.set(k, source);
    };
    for (const [k, schema] of Object.entries(policy.policy.configSchema?.properties ?? {})) {
        const d = (schema as { default?: unknown }).default;
        if (k !== "waivers" && d !== undefined) {
            set(k, d, "default");
        }
    }
    set("enforcementLevel", all ?? policy.policy.enforcementLevel ?? "advisory", all === undefined ? "default" : "all");
    const own: Record<string, unknown> =
        typeof entry === "string"
            ? { enforcementLevel: entry }
            : typeof entry === "object" && entry !== null && !Array.isArray(entry)
              ? (entry as Record<string, unknown>)
              : {};
    for (const [k, v] of Object.entries(own)) {
        if (k !== "waivers") {
            set(k, v, "entry");
        }
    }
    return { values, from };
}

/** What `ruleConfigProblems` finds. */
export interface RuleConfigProblems {
    /** A rule's policy that runs with a value it does not set while another policy of the rule sets another. */
    errors: string[];
    /** A rule's policies set differently, each explicitly (or one runs stricter than another sets). */
    warnings: string[];
}

const LEVEL_RANK: Record<string, number> = { disabled: 0, advisory: 1, mandatory: 2, remediate: 2 };

/**
 * The problems of a config with a rule over several resource types (one policy per type, such as
 * `aws-instance-require-imdsv2` and `aws-launch-template-require-imdsv2`), waivers aside: each
 * policy has its own level and settings, so a level or a setting given to one type's policy alone
 * leaves the others at their defaults (or at the level of `all`), which may be weaker: a config
 * written before 3.0.0, when one policy covered every type, does this. The policies are compared
 * field by field on what each runs with, as the CLI reconciles the config (defaults, then `all`'s
 * level, then the policy's own entry):
 * - a field that a policy does not set itself, whose value differs from what another policy of the
 *   rule sets, is an error on that policy (give it the same entry, or its own if the difference is
 *   meant), except a level that is stricter than the other policy's, which is a warning;
 * - a field that two policies set, each to its own value, is a warning (each on purpose as far as
 *   the file shows), once, on the later of the two.
 * Lists of scalars compare as sets.
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
    const all = allLevel(entries);
    const byRule = new Map<string, HardenedPolicy[]>();
    for (const p of policies) {
        byRule.set(p.rule, [...(byRule.get(p.rule) ?? []), p]);
    }
    const sourceText = (source: Source) =>
        source === "all" ? "from all" : source === "default" ? "its default" : "its own entry";
    for (const [rule, group] of byRule) {
        if (group.length < 2) {
            continue;
        }
        const eff = group.map((p) => effectiveOf(p, entries[p.meta.name], all));
        const fields = [...new Set(eff.flatMap((e) => [...e.values.keys()]))];
        group.forEach((p, i) => {
            // Per other policy of the rule: the fields this one differs on, as error or warning.
            const errors = new Map<number, string[]>();
            const warnings = new Map<number, string[]>();
            const add = (into: Map<number, string[]>, j: number, f: string) => into.set(j, [...(into.get(j) ?? []), f]);
            for (const f of fields) {
                const value = eff[i].values.get(f);
                // The other policies of the rule that set this field themselves, to something else.
                const differ = eff.flatMap((e, k) =>
                    k !== i && e.from.get(f) === "entry" && e.values.get(f) !== value ? [k] : [],
                );
                if (differ.length === 0) {
                    continue;
                }
                if (eff[i].from.get(f) === "entry") {
                    if (differ[0] < i) {
                        add(warnings, differ[0], f);
                    }
                    continue;
                }
                // Inherited: an error against any sibling it is not stricter than (a level that all
                // makes stricter than a sibling's is a warning; settings have no order).
                const stricter = (k: number) =>
                    f === "enforcementLevel" &&
                    LEVEL_RANK[JSON.parse(value!) as string] > LEVEL_RANK[JSON.parse(eff[k].values.get(f)!) as string];
                const against = differ.find((k) => !stricter(k));
                if (against !== undefined) {
                    add(errors, against, f);
                } else {
                    add(warnings, differ[0], f);
                }
            }
            const self = `${p.meta.name} (${p.resourceType})`;
            const theirs = (j: number, fs: string[]) =>
                `${group[j].meta.name} (${group[j].resourceType}) sets ${fs.map((f) => `${f} ${eff[j].values.get(f)}`).join(", ")}`;
            const mine = (fs: string[]) =>
                fs
                    .map(
                        (f) =>
                            `${f} ${eff[i].values.get(f) ?? "unset"} (${sourceText(eff[i].from.get(f) ?? "default")})`,
                    )
                    .join(", ");
            for (const [j, fs] of errors) {
                out.errors.push(
                    `${self} runs with ${mine(fs)}, while ${theirs(j, fs)}: both apply the rule ${rule}, each to its own resource type; give ${p.meta.name} the same entry, or its own if the difference is meant`,
                );
            }
            for (const [j, fs] of warnings) {
                out.warnings.push(
                    `${self} runs with ${mine(fs)}, while ${theirs(j, fs)}: both apply the rule ${rule}, each to its own resource type; set them alike unless the difference is meant`,
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
