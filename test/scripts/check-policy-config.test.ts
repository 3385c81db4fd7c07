import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ALL_POLICIES } from "../../policy-pack/policies";
import { checkPolicyConfig, ruleConfigProblems } from "../../scripts/check-policy-config";

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLE = path.join(ROOT, "policy-pack/org-config.example.json");

describe("scripts/check-policy-config", () => {
    it("accepts the example org config file, which sets every kind of entry", () => {
        const config = JSON.parse(fs.readFileSync(EXAMPLE, "utf8")) as Record<string, unknown>;
        assert.deepEqual(checkPolicyConfig(config), []);
        assert.deepEqual(ruleConfigProblems(config), { errors: [], warnings: [] });
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

    it("fails a rule's policy left without an entry beside one that has some, and warns when they differ (waivers aside)", () => {
        const SG = "aws-security-group-disallow-public-admin-ports";
        assert.deepEqual(
            ruleConfigProblems({
                "docker-daemon-require-userns-remap": "mandatory",
                [SG]: { ports: [22, 3389], waivers: [{ resource: "bastion-sg", justification: "the bastion, SEC-7" }] },
                "aws-default-security-group-disallow-public-admin-ports": { ports: [3389, 22] },
                "aws-security-group-rule-disallow-public-admin-ports": { ports: [22, 2222] },
                "aws-security-group-ingress-rule-disallow-public-admin-ports": {
                    ports: [22, 3389],
                    waivers: [{ resource: "bastion-ssh", justification: "the bastion, SEC-7" }],
                },
                "aws-instance-disallow-public-ip": {
                    waivers: [{ resource: "bastion", justification: "the bastion, SEC-7" }],
                },
                "aws-instance-require-imdsv2": "advisory",
                "aws-launch-template-require-imdsv2": { enforcementLevel: "advisory" },
                "aws-spot-instance-request-require-imdsv2": { enforcementLevel: "advisory" },
            }),
            {
                errors: [
                    'docker-daemon-require-userns-remap-local-command (command:local:Command) runs with enforcementLevel "advisory" (its default), while docker-daemon-require-userns-remap (command:remote:Command) sets enforcementLevel "mandatory": both apply the rule docker-daemon-require-userns-remap, each to its own resource type; give docker-daemon-require-userns-remap-local-command the same entry, or its own if the difference is meant',
                ],
                warnings: [
                    `aws-security-group-rule-disallow-public-admin-ports (aws:ec2/securityGroupRule:SecurityGroupRule) runs with ports [22,2222] (its own entry), while ${SG} (aws:ec2/securityGroup:SecurityGroup) sets ports [22,3389]: both apply the rule ${SG}, each to its own resource type; set them alike unless the difference is meant`,
                ],
            },
        );
        assert.deepEqual(ruleConfigProblems("mandatory"), { errors: [], warnings: [] });
    });

    it("compares what each policy runs with, all's level and the defaults applied as the CLI does", () => {
        const SG = "aws-security-group-disallow-public-admin-ports";
        const I = "aws-instance-require-imdsv2 (aws:ec2/instance:Instance)";
        const L = "aws-launch-template-require-imdsv2 (aws:ec2/launchTemplate:LaunchTemplate)";
        const S = "aws-spot-instance-request-require-imdsv2 (aws:ec2/spotInstanceRequest:SpotInstanceRequest)";
        const imds = "both apply the rule aws-instance-require-imdsv2, each to its own resource type";
        const sg = `both apply the rule ${SG}, each to its own resource type`;
        const policy = (type: string, name = SG) =>
            ({
                SecurityGroup: `${name} (aws:ec2/securityGroup:SecurityGroup)`,
                DefaultSecurityGroup: `aws-default-security-group-disallow-public-admin-ports (aws:ec2/defaultSecurityGroup:DefaultSecurityGroup)`,
                SecurityGroupRule: `aws-security-group-rule-disallow-public-admin-ports (aws:ec2/securityGroupRule:SecurityGroupRule)`,
                SecurityGroupIngressRule: `aws-security-group-ingress-rule-disallow-public-admin-ports (aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule)`,
            })[type]!;
        const fix = (p: string) => `give ${p.split(" ")[0]} the same entry, or its own if the difference is meant`;
        // The level all gives is the one the instance policy sets: the rule's policies run alike.
        for (const all of ["mandatory", { enforcementLevel: "mandatory" }]) {
            assert.deepEqual(ruleConfigProblems({ all, "aws-instance-require-imdsv2": "mandatory" }), {
                errors: [],
                warnings: [],
            });
        }
        // A waiver alone is no setting: the policy runs at all's level, like its siblings.
        assert.deepEqual(
            ruleConfigProblems({
                all: "advisory",
                "aws-launch-template-require-imdsv2": {
                    waivers: [{ resource: "legacy-lt", justification: "retired in SEC-9" }],
                },
                "aws-instance-require-imdsv2": { enforcementLevel: "advisory" },
            }),
            { errors: [], warnings: [] },
        );
        // Without all: the first policy with an entry sets only its level, its three siblings
        // widen the ports alike; it keeps the default ports, which is the one error.
        const wide = [22, 2222, 2375, 2376, 2377];
        assert.deepEqual(
            ruleConfigProblems({
                [SG]: "mandatory",
                "aws-default-security-group-disallow-public-admin-ports": { ports: wide },
                "aws-security-group-rule-disallow-public-admin-ports": { ports: wide },
                "aws-security-group-ingress-rule-disallow-public-admin-ports": { ports: wide },
            }),
            {
                errors: [
                    `${policy("SecurityGroup")} runs with ports [22,2375,2376,2377] (its default), while ${policy("DefaultSecurityGroup")} sets ports [22,2222,2375,2376,2377]: ${sg}; ${fix(policy("SecurityGroup"))}`,
                ],
                warnings: [],
            },
        );
        // A setting written out equal to its default changes nothing.
        assert.deepEqual(ruleConfigProblems({ [SG]: { ports: [2377, 22, 2376, 2375] } }), { errors: [], warnings: [] });
        // all gives a weaker level than the one the instance policy sets: the others run at it.
        const weaker = (p: string) =>
            `${p} runs with enforcementLevel "advisory" (from all), while ${I} sets enforcementLevel "mandatory": ${imds}; ${fix(p)}`;
        assert.deepEqual(ruleConfigProblems({ all: "advisory", "aws-instance-require-imdsv2": "mandatory" }), {
            errors: [weaker(L), weaker(S)],
            warnings: [],
        });
        // all gives a stricter level than one policy sets: a warning on the others, not an error.
        const stricter = (p: string) =>
            `${p} runs with enforcementLevel "mandatory" (from all), while ${I} sets enforcementLevel "advisory": ${imds}; set them alike unless the difference is meant`;
        assert.deepEqual(ruleConfigProblems({ all: "mandatory", "aws-instance-require-imdsv2": "advisory" }), {
            errors: [],
            warnings: [stricter(L), stricter(S)],
        });
        // One policy's ports beside all's level: every policy that keeps the default ports is
        // compared with it, the first policy of the rule too (it sets only its level).
        const ports = (p: string) =>
            `${p} runs with ports [22,2375,2376,2377] (its default), while ${policy("DefaultSecurityGroup")} sets ports [22,2222,2375,2376,2377]: ${sg}; ${fix(p)}`;
        assert.deepEqual(
            ruleConfigProblems({
                all: "mandatory",
                [SG]: "mandatory",
                "aws-default-security-group-disallow-public-admin-ports": { ports: [22, 2222, 2375, 2376, 2377] },
            }),
            {
                errors: [
                    ports(policy("SecurityGroup")),
                    ports(policy("SecurityGroupIngressRule")),
                    ports(policy("SecurityGroupRule")),
                ],
                warnings: [],
            },
        );
        // The same ports everywhere, a level on one and all's weaker level on the others: an error
        // on each that runs at all's level, whatever its own entry sets besides.
        const level = (p: string) =>
            `${p} runs with enforcementLevel "advisory" (from all), while ${policy("SecurityGroup")} sets enforcementLevel "mandatory": ${sg}; ${fix(p)}`;
        assert.deepEqual(
            ruleConfigProblems({
                all: "advisory",
                [SG]: { enforcementLevel: "mandatory", ports: [22] },
                "aws-default-security-group-disallow-public-admin-ports": { ports: [22] },
                "aws-security-group-rule-disallow-public-admin-ports": { ports: [22] },
                "aws-security-group-ingress-rule-disallow-public-admin-ports": { ports: [22] },
            }),
            {
                errors: [
                    level(policy("DefaultSecurityGroup")),
                    level(policy("SecurityGroupIngressRule")),
                    level(policy("SecurityGroupRule")),
                ],
                warnings: [],
            },
        );
        // Two levels set on purpose: one warning, on the later policy of the rule; and the launch
        // template policy runs at all's level, stricter than the spot request policy's.
        assert.deepEqual(
            ruleConfigProblems({
                all: "mandatory",
                "aws-instance-require-imdsv2": "mandatory",
                "aws-spot-instance-request-require-imdsv2": "advisory",
            }),
            {
                errors: [],
                warnings: [
                    `${L} runs with enforcementLevel "mandatory" (from all), while ${S} sets enforcementLevel "advisory": ${imds}; set them alike unless the difference is meant`,
                    `${S} runs with enforcementLevel "advisory" (its own entry), while ${I} sets enforcementLevel "mandatory": ${imds}; set them alike unless the difference is meant`,
                ],
            },
        );
        // Three policies: the launch template's level from all is stricter than the instance's
        // and weaker than the spot request's: an error against the one it is weaker than.
        assert.deepEqual(
            ruleConfigProblems({
                all: "advisory",
                "aws-instance-require-imdsv2": "disabled",
                "aws-spot-instance-request-require-imdsv2": "mandatory",
            }),
            {
                errors: [
                    `${L} runs with enforcementLevel "advisory" (from all), while ${S} sets enforcementLevel "mandatory": ${imds}; ${fix(L)}`,
                ],
                warnings: [
                    `${S} runs with enforcementLevel "mandatory" (its own entry), while ${I} sets enforcementLevel "disabled": ${imds}; set them alike unless the difference is meant`,
                ],
            },
        );
        // An invalid all is checkPolicyConfig's error, and gives no level here: the defaults.
        assert.deepEqual(ruleConfigProblems({ all: "strict", "aws-instance-require-imdsv2": "advisory" }), {
            errors: [],
            warnings: [
                `${L} runs with enforcementLevel "mandatory" (its default), while ${I} sets enforcementLevel "advisory": ${imds}; set them alike unless the difference is meant`,
                `${S} runs with enforcementLevel "mandatory" (its default), while ${I} sets enforcementLevel "advisory": ${imds}; set them alike unless the difference is meant`,
            ],
        });
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
        const uneven = path.join(path.dirname(bad), "uneven.json");
        fs.writeFileSync(
            uneven,
            JSON.stringify({
                "docker-daemon-disable-icc": "advisory",
                "docker-daemon-disable-icc-local-command": "mandatory",
            }),
        );
        const warned = spawnSync(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", "scripts/check-policy-config.ts", uneven],
            { cwd: ROOT, encoding: "utf8" },
        );
        assert.deepEqual(
            { code: warned.status, stdout: warned.stdout, stderr: warned.stderr },
            {
                code: 0,
                stdout: `${uneven}: valid for the ${ALL_POLICIES.length} policies of the pack\n`,
                stderr: `${uneven}: warning: docker-daemon-disable-icc-local-command (command:local:Command) runs with enforcementLevel "mandatory" (its own entry), while docker-daemon-disable-icc (command:remote:Command) sets enforcementLevel "advisory": both apply the rule docker-daemon-disable-icc, each to its own resource type; set them alike unless the difference is meant\n`,
            },
        );
        // A config written for 2.x: the rule's first policy set, the others not.
        fs.writeFileSync(
            uneven,
            JSON.stringify({ "aws-instance-require-encrypted-volumes": { requiredKmsKeyId: "k" } }),
        );
        const first = 'aws-instance-require-encrypted-volumes (aws:ec2/instance:Instance) sets requiredKmsKeyId "k"';
        const rule = "both apply the rule aws-instance-require-encrypted-volumes, each to its own resource type";
        assert.deepEqual(run(uneven), {
            code: 1,
            out: [
                `${uneven}: aws-launch-template-require-encrypted-volumes (aws:ec2/launchTemplate:LaunchTemplate) runs with requiredKmsKeyId "" (its default), while ${first}: ${rule}; give aws-launch-template-require-encrypted-volumes the same entry, or its own if the difference is meant`,
                `${uneven}: aws-spot-instance-request-require-encrypted-volumes (aws:ec2/spotInstanceRequest:SpotInstanceRequest) runs with requiredKmsKeyId "" (its default), while ${first}: ${rule}; give aws-spot-instance-request-require-encrypted-volumes the same entry, or its own if the difference is meant`,
                "",
            ].join("\n"),
        });
    });
});
