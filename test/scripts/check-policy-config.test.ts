import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ALL_POLICIES } from "../../policy-pack/policies";
import { checkPolicyConfig } from "../../scripts/check-policy-config";

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLE = path.join(ROOT, "policy-pack/org-config.example.json");

describe("scripts/check-policy-config", () => {
    it("accepts the example org config file, which sets every kind of entry", () => {
        const config = JSON.parse(fs.readFileSync(EXAMPLE, "utf8")) as Record<string, unknown>;
        assert.deepEqual(checkPolicyConfig(config), []);
        const values = Object.values(config);
        assert.ok(
            values.some((v) => typeof v === "string"),
            "a bare enforcement level",
        );
        assert.ok(values.some((v) => typeof v === "object" && v !== null && "enforcementLevel" in v));
        assert.ok(values.some((v) => typeof v === "object" && v !== null && "waivers" in v));
        for (const name of Object.keys(config)) {
            assert.ok(
                ALL_POLICIES.some((p) => p.meta.name === name),
                name,
            );
        }
    });

    it("names the policy and setting of every mistake, with the allowed values", () => {
        assert.deepEqual(
            checkPolicyConfig({
                all: "strict",
                "docker-container-disallow-privilegd": "mandatory",
                "docker-container-disallow-privileged": "on",
                "docker-image-require-trusted-registry": { allowedRegistry: ["ghcr.io/acme"] },
                "docker-container-disallow-privileged-ports": { portFloor: "1024", enforcementLevel: "warn" },
                "docker-container-require-hardened-host": {
                    waivers: [
                        { resource: "api", justification: "ok" },
                        { resource: "web", justification: "approved in SEC-42", expires: "31/12/2027" },
                        { justification: "approved in SEC-42" },
                    ],
                },
            }),
            [
                'all: the enforcement level must be one of advisory, mandatory, remediate, disabled, got "strict"',
                "docker-container-disallow-privilegd: no such policy in the pack",
                'docker-container-disallow-privileged: the enforcement level must be one of advisory, mandatory, remediate, disabled, got "on"',
                "docker-image-require-trusted-registry: must NOT have additional properties (allowedRegistry; settings: waivers, allowedRegistries, enforcementLevel)",
                "docker-container-disallow-privileged-ports.portFloor: must be integer",
                "docker-container-disallow-privileged-ports.enforcementLevel: must be equal to one of the allowed values (advisory, mandatory, remediate, disabled)",
                "docker-container-require-hardened-host.waivers.0.justification: must NOT have fewer than 10 characters",
                'docker-container-require-hardened-host.waivers.1.expires: must match pattern "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"',
                "docker-container-require-hardened-host.waivers.2: must have required property 'resource'",
            ],
        );
        assert.deepEqual(checkPolicyConfig([]), [
            "the config must be a JSON object whose keys are policy names (or all)",
        ]);
    });

    it("runs as npm run policy:check-config, exiting 1 with the mistakes", () => {
        const run = (file: string) => {
            try {
                return {
                    code: 0,
                    out: execFileSync(
                        process.execPath,
                        ["-r", "ts-node/register/transpile-only", "scripts/check-policy-config.ts", file],
                        { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
                    ),
                };
            } catch (e) {
                const err = e as { status: number; stderr: string };
                return { code: err.status, out: err.stderr };
            }
        };
        assert.deepEqual(run(EXAMPLE), {
            code: 0,
            out: `${EXAMPLE}: valid for the ${ALL_POLICIES.length} policies of the pack\n`,
        });
        const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "hd-config-")), "bad.json");
        fs.writeFileSync(bad, JSON.stringify({ "docker-container-require-cpu-limit": "loud" }));
        assert.deepEqual(run(bad), {
            code: 1,
            out: `${bad}: docker-container-require-cpu-limit: the enforcement level must be one of advisory, mandatory, remediate, disabled, got "loud"\n`,
        });
    });
});
