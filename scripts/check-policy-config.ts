// Checks a --policy-pack-config file against the pack's policies and their config schemas, as the
// Pulumi CLI does before it runs the pack, and stricter: an unknown policy name or setting is an
// error here (a typo would otherwise leave the default in force without a word).
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
    const errors = checkPolicyConfig(parsed);
    for (const e of errors) {
        console.error(`${file}: ${e}`);
    }
    if (errors.length > 0) {
        process.exit(1);
    }
    console.log(`${file}: valid for the ${ALL_POLICIES.length} policies of the pack`);
}
