import * as assert from "node:assert/strict";
import {
    copiesFor,
    identityOf,
    MOCK_IDENTITY,
    renamed,
    substituted,
    syntheticStack,
    type StackTemplate,
} from "../../bench/lib/syntheticStack";
import type { AnalyzerInput } from "../harness/policyPack";

const URN = (type: string, name: string) => `urn:pulumi:test::hardened-docker::${type}::${name}`;
const HOST = "hardened-docker:host:HardenedHost";
const CMD = "command:remote:Command";
const PROVIDER = "pulumi:providers:docker";
const CONTAINER = "docker:index/container:Container";

function part(names: string[]): { inputs: AnalyzerInput[]; outputs: AnalyzerInput[] } {
    const outputs = names.map((name) => ({ type: CMD, name, urn: URN(CMD, name), props: { n: name } }));
    return { inputs: outputs.slice(1), outputs };
}

describe("bench/lib/syntheticStack", () => {
    it("prefixes a resource's name and every URN it holds, and keeps its properties", () => {
        const props = { image: "x" };
        const r: AnalyzerInput = {
            type: CONTAINER,
            name: "h000-svc00",
            urn: URN(`${HOST}$${CONTAINER}`, "h000-svc00"),
            props,
            parent: URN(HOST, "h000-docker-host"),
            dependencies: [URN(CMD, "h000-docker-host-ssh")],
            propertyDependencies: { image: [URN(CMD, "a")] },
            provider: { type: PROVIDER, name: "h000-docker", urn: URN(PROVIDER, "h000-docker"), props: {} },
        };
        assert.deepEqual(renamed(r, "c00007-"), {
            type: CONTAINER,
            name: "c00007-h000-svc00",
            urn: URN(`${HOST}$${CONTAINER}`, "c00007-h000-svc00"),
            props,
            parent: URN(HOST, "c00007-h000-docker-host"),
            dependencies: [URN(CMD, "c00007-h000-docker-host-ssh")],
            propertyDependencies: { image: [URN(CMD, "c00007-a")] },
            provider: {
                type: PROVIDER,
                name: "c00007-h000-docker",
                urn: URN(PROVIDER, "c00007-h000-docker"),
                props: {},
            },
        });
        // The very same properties object: copies cost no memory of their own until encoded.
        assert.equal(renamed(r, "c1-").props, props);
    });

    it("leaves a package's default provider shared, and an empty parent empty", () => {
        const provider = {
            type: "pulumi:providers:aws",
            name: "default_aws",
            urn: URN("pulumi:providers:aws", "default_aws"),
            props: {},
        };
        const r: AnalyzerInput = {
            type: "aws:ec2/instance:Instance",
            name: "vm",
            urn: URN("aws:ec2/instance:Instance", "vm"),
            props: {},
            parent: "",
            provider,
        };
        const out = renamed(r, "c1-");
        assert.equal(out.provider, provider);
        assert.equal(out.parent, "");
        assert.equal(out.name, "c1-vm");
    });

    it("adds whole copies until the stack has the size, the insecure part in every n-th copy", () => {
        const template: StackTemplate = { fleet: part(["f1", "f2", "f3", "f4", "f5"]), insecure: part(["i1", "i2"]) };
        // Copy 0: 5 + 2; copy 1: 5; copy 2: 5 + 2 (every second copy).
        assert.equal(copiesFor(template, 7, 2), 1);
        assert.equal(copiesFor(template, 8, 2), 2);
        assert.equal(copiesFor(template, 13, 2), 3);
        const stack = syntheticStack(template, 3, 2);
        assert.deepEqual(
            stack.outputs.map((r) => r.name),
            [
                ...["f1", "f2", "f3", "f4", "f5", "i1", "i2"].map((n) => `c00000-${n}`),
                ...["f1", "f2", "f3", "f4", "f5"].map((n) => `c00001-${n}`),
                ...["f1", "f2", "f3", "f4", "f5", "i1", "i2"].map((n) => `c00002-${n}`),
            ],
        );
        assert.deepEqual(
            stack.inputs.map((r) => r.name),
            [
                ...["f2", "f3", "f4", "f5", "i2"].map((n) => `c00000-${n}`),
                ...["f2", "f3", "f4", "f5"].map((n) => `c00001-${n}`),
                ...["f2", "f3", "f4", "f5", "i2"].map((n) => `c00002-${n}`),
            ],
        );
        assert.equal(new Set(stack.outputs.map((r) => r.urn)).size, 19);
    });

    it("gives each part of each copy its own instance and volume ids and addresses", () => {
        assert.deepEqual(identityOf(0), {
            instanceId: "i-00000000001000000",
            volumeId: "vol-00000000001000000",
            privateIp: "10.1.0.1",
            publicIp: "198.18.0.1",
        });
        assert.deepEqual(identityOf(251), {
            instanceId: "i-000000000010000fb",
            volumeId: "vol-000000000010000fb",
            privateIp: "10.1.1.2",
            publicIp: "198.18.1.2",
        });
        const script = "set -eu\necho hello\n";
        const props = {
            host: `ssh://admin@${MOCK_IDENTITY.privateIp}:22`,
            ids: [MOCK_IDENTITY.instanceId, `${MOCK_IDENTITY.volumeId}`],
            nested: { script, ip: MOCK_IDENTITY.publicIp },
        };
        const pairs: [string, string][] = [
            [MOCK_IDENTITY.privateIp, "10.1.0.9"],
            [MOCK_IDENTITY.publicIp, "198.18.0.9"],
            [MOCK_IDENTITY.instanceId, "i-9"],
            [MOCK_IDENTITY.volumeId, "vol-9"],
        ];
        const out = substituted(props, pairs) as typeof props;
        assert.deepEqual(out, {
            host: "ssh://admin@10.1.0.9:22",
            ids: ["i-9", "vol-9"],
            nested: { script, ip: "198.18.0.9" },
        });
        // What holds none of them is the very same object.
        const untouched = { a: [1, "x"], b: { script } };
        assert.equal(substituted(untouched, pairs), untouched);
        // The fleet and the insecure part of one copy do not share an address.
        const template: StackTemplate = {
            fleet: {
                inputs: [],
                outputs: [{ type: CMD, name: "f", urn: URN(CMD, "f"), props: { host: MOCK_IDENTITY.privateIp } }],
            },
            insecure: {
                inputs: [],
                outputs: [{ type: CMD, name: "i", urn: URN(CMD, "i"), props: { host: MOCK_IDENTITY.privateIp } }],
            },
        };
        assert.deepEqual(
            syntheticStack(template, 2, 1).outputs.map((r) => r.props.host),
            ["10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.4"],
        );
    });
});
