import * as assert from "node:assert/strict";
import { ArgumentError } from "../../../../components/common/errors";
import {
    type DaemonFilesArgs,
    type DaemonFilesPlan,
    validateDaemonFilesArgs,
} from "../../../../components/daemon/files";

describe("validateDaemonFilesArgs", () => {
    it("fills in the defaults: no TLS", () => {
        assert.deepEqual(validateDaemonFilesArgs(undefined), { tls: false } satisfies DaemonFilesPlan);
        assert.deepEqual(validateDaemonFilesArgs({}), { tls: false } satisfies DaemonFilesPlan);
    });

    it("keeps tls", () => {
        assert.deepEqual(validateDaemonFilesArgs({ tls: true }), { tls: true } satisfies DaemonFilesPlan);
        assert.deepEqual(validateDaemonFilesArgs({ tls: false }), { tls: false } satisfies DaemonFilesPlan);
    });

    const bad: [string, unknown, string, string][] = [
        ["a list", [], "args", "must be an object with the fields tls"],
        ["a string", "tls", "args", "must be an object with the fields tls"],
        [
            "an unknown field",
            { tls: true, extraPaths: ["/etc/docker/x"] },
            "args.extraPaths",
            "is not an argument of the daemon-files step; allowed: tls",
        ],
        ["tls as a string", { tls: "yes" }, "args.tls", 'must be true or false, got "yes"'],
        ["tls as a number", { tls: 1 }, "args.tls", "must be true or false, got 1"],
    ];
    for (const [name, args, argument, problem] of bad) {
        it(`rejects ${name}`, () => {
            assert.throws(
                () => validateDaemonFilesArgs(args as DaemonFilesArgs),
                (e: unknown) =>
                    e instanceof ArgumentError &&
                    e.argument === argument &&
                    e.problem === problem &&
                    e.message === `${argument} ${problem}`,
            );
        });
    }

    it("names the arguments where the component nests them", () => {
        assert.throws(
            () => validateDaemonFilesArgs({ tls: "no" } as unknown as DaemonFilesArgs, "args.files"),
            (e: unknown) =>
                e instanceof ArgumentError && e.message === 'args.files.tls must be true or false, got "no"',
        );
    });
});
