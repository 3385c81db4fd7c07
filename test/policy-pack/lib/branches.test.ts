import * as assert from "node:assert/strict";
import { forType, resourcePolicyByType } from "../../../policy-pack/lib/branches";
import type { PolicyMeta } from "../../../policy-pack/lib/policy";

const META: PolicyMeta = {
    name: "aws-instance-require-thing",
    description: "Instances and launch templates must have the thing.",
    cis: "5.6",
    benchmark: "aws",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "set the thing.",
};
const INSTANCE = "aws:ec2/instance:Instance";
const TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const never = () => undefined;

describe("resourcePolicyByType (policy-pack/lib/branches.ts)", () => {
    it("makes one policy per type: the first under the rule's name, each other under its own", () => {
        const policies = resourcePolicyByType(META, [
            forType(INSTANCE, [never]),
            forType(TEMPLATE, [never], "aws-launch-template-require-thing"),
        ]);
        assert.deepEqual(
            policies.map((p) => [p.meta.name, p.rule, p.resourceType]),
            [
                ["aws-instance-require-thing", "aws-instance-require-thing", INSTANCE],
                ["aws-launch-template-require-thing", "aws-instance-require-thing", TEMPLATE],
            ],
        );
        // The type the policy server reads to skip other resources unread.
        assert.deepEqual(
            policies
                .map((p) => ("validateResource" in p.policy ? p.policy.validateResource : undefined))
                .map((v) => (v as unknown as { __pulumiType: string }).__pulumiType),
            [INSTANCE, TEMPLATE],
        );
        assert.deepEqual({ ...policies[1].meta, name: META.name }, META);
        assert.equal(policies[1].policy.name, "aws-launch-template-require-thing");
    });

    it("names the rule and the type of every mistake", () => {
        assert.throws(() => resourcePolicyByType(META, [forType(INSTANCE, [never]), forType(INSTANCE, [never], "x")]), {
            message: `aws-instance-require-thing: each resource type gets one set of branches, got ${INSTANCE}, ${INSTANCE}`,
        });
        assert.throws(() => resourcePolicyByType(META, [forType(INSTANCE, [never]), forType(TEMPLATE, [never])]), {
            message: `aws-instance-require-thing: the policy for ${TEMPLATE} needs a name of its own`,
        });
        assert.throws(
            () =>
                resourcePolicyByType(META, [
                    forType(INSTANCE, [never], "aws-other"),
                    forType(TEMPLATE, [never], "aws-launch-template-require-thing"),
                ]),
            { message: `aws-instance-require-thing: the policy for ${INSTANCE}, the first type, has the rule's name` },
        );
        assert.throws(
            () =>
                resourcePolicyByType(META, [
                    forType(INSTANCE, [never]),
                    forType(TEMPLATE, [never], "aws-instance-require-thing"),
                ]),
            {
                message:
                    "aws-instance-require-thing: each resource type gets a policy name of its own, got aws-instance-require-thing, aws-instance-require-thing",
            },
        );
    });
});
