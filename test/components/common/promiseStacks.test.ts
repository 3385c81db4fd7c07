import * as assert from "node:assert/strict";
import * as docker from "@pulumi/docker";
import { withoutPromiseStacks } from "../../../components/common/promiseStacks";
import { HardenedNetwork } from "../../../components/network";

describe("withoutPromiseStacks", () => {
    let saved: string | undefined;
    beforeEach(() => {
        saved = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
        delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    });
    afterEach(() => {
        if (saved === undefined) {
            delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
        } else {
            process.env.PULUMI_DEBUG_PROMISE_LEAKS = saved;
        }
    });

    it("constructs with no stack traces and gives the limit back", () => {
        const before = Error.stackTraceLimit;
        const seen = withoutPromiseStacks(() => ({ limit: Error.stackTraceLimit, stack: new Error("x").stack }));
        assert.deepEqual(seen, { limit: 0, stack: "Error: x" });
        assert.equal(Error.stackTraceLimit, before);
        assert.match(new Error("y").stack!, /^Error: y\n {4}at /);
    });

    it("gives the limit back when the construction throws, and the error a stack to the component", () => {
        const before = Error.stackTraceLimit;
        function constructChild(): never {
            return withoutPromiseStacks(() => {
                throw new Error("Missing required property 'image'");
            });
        }
        let thrown: Error | undefined;
        try {
            constructChild();
        } catch (e) {
            thrown = e as Error;
        }
        assert.equal(thrown?.message, "Missing required property 'image'");
        assert.match(thrown!.stack!, /^Error: Missing required property 'image'\n {4}at constructChild /);
        assert.equal(Error.stackTraceLimit, before);
    });

    it("keeps every stack when PULUMI_DEBUG_PROMISE_LEAKS asks for the leak report", () => {
        process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
        const before = Error.stackTraceLimit;
        assert.equal(
            withoutPromiseStacks(() => Error.stackTraceLimit),
            before,
        );
    });

    it("leaves the SDK's promise records of a component's children empty, and of other resources whole", () => {
        // Every promise the SDK makes while registering a resource goes through debuggablePromise,
        // which records a stack trace on it: see what it recorded, by the promise's context.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
            debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
        };
        const original = debuggable.debuggablePromise;
        const records: { ctx: string; stack: string }[] = [];
        debuggable.debuggablePromise = (p, ctx) => {
            const out = original(p, ctx);
            records.push({
                ctx: String(ctx),
                stack: (p as unknown as { _debugStackTrace: string })._debugStackTrace,
            });
            return out;
        };
        try {
            new HardenedNetwork("hd-stacks-net");
            new docker.Network("hd-stacks-plain", {});
        } finally {
            debuggable.debuggablePromise = original;
        }
        const of = (resource: string) =>
            records.filter((r) =>
                r.ctx.startsWith(`transferProperty(resource:${resource}[docker:index/network:Network], `),
            );
        // One record per property of a docker.Network, as the SDK makes them.
        assert.equal(of("hd-stacks-net").length, of("hd-stacks-plain").length);
        assert.ok(of("hd-stacks-net").length > 10);
        assert.deepEqual([...new Set(of("hd-stacks-net").map((r) => r.stack))], ["Error"]);
        assert.ok(of("hd-stacks-plain").every((r) => /^Error\n {4}at /.test(r.stack)));
    });
});
