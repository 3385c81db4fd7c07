"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, run by node in the consumer project */
// Copied into the consumer project by consumer.test.ts and run there with plain node: loads the
// consumer's compiled program (bin/index.js) under Pulumi mocks, with the consumer's own
// @pulumi/pulumi (the library's peer dependency), and prints one JSON line: where the library was
// loaded from, every resource registered with its inputs, and the stack's outputs.
const pulumi = require("@pulumi/pulumi");

// What the platform team's stack exports (the root example program's outputs of those names).
const PLATFORM_OUTPUTS = { dockerEndpoint: "ssh://admin@192.0.2.10:22", address: "192.0.2.10" };

const registered = [];
pulumi.runtime.setMocks(
    {
        newResource(args) {
            registered.push({ type: args.type, name: args.name, id: args.id ?? null, inputs: args.inputs });
            if (args.type === "pulumi:pulumi:StackReference") {
                return { id: args.id, state: { name: args.id, outputs: PLATFORM_OUTPUTS, secretOutputNames: [] } };
            }
            // The Docker provider names containers and networks after the resource when no name is given.
            return { id: `${args.name}-id`, state: { name: args.name, ...args.inputs } };
        },
        call(args) {
            return args.inputs;
        },
    },
    "hardened-docker-app-team",
    "dev",
    false,
);

const resolved = (o) => new Promise((resolve) => pulumi.output(o).apply(resolve));

async function main() {
    const program = require(`${process.cwd()}/bin/index.js`);
    const outputs = {};
    for (const [k, v] of Object.entries(program)) {
        outputs[k] = await resolved(v);
    }
    const settings = require("@pulumi/pulumi/runtime/settings");
    if (settings.waitForRPCs !== undefined) {
        await settings.waitForRPCs();
    }
    await new Promise((r) => setTimeout(r, 50));
    const library = require.resolve("hardened-docker");
    process.stdout.write(`${JSON.stringify({ library, registered, outputs })}\n`);
}

main().catch((e) => {
    process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
});
