import * as assert from "node:assert/strict";
import { ArgumentError } from "../../../../components/common/errors";
import { type EngineArgs, type EnginePlan, validateEngineArgs } from "../../../../components/host/engine";
import { CTX } from "../stepHarness";

describe("validateEngineArgs", () => {
    it("fills in the secure defaults: the distribution's docker.io, kept at the newest version", () => {
        const plan: EnginePlan = {
            source: "distribution",
            version: "latest",
            pinnedPackages: ["docker.io"],
            otherPackages: [],
            refusedPackages: ["docker-ce", "docker-ce-cli"],
        };
        assert.deepEqual(validateEngineArgs(undefined, CTX), plan);
        assert.deepEqual(validateEngineArgs({}, CTX), plan);
    });

    const good: [EngineArgs, EnginePlan][] = [
        [
            { source: "docker" },
            {
                source: "docker",
                version: "latest",
                pinnedPackages: ["docker-ce", "docker-ce-cli"],
                otherPackages: ["containerd.io"],
                refusedPackages: [],
            },
        ],
        [
            { version: "20.10.24+dfsg1-1+b3" },
            {
                source: "distribution",
                version: "20.10.24+dfsg1-1+b3",
                pinnedPackages: ["docker.io"],
                otherPackages: [],
                refusedPackages: ["docker-ce", "docker-ce-cli"],
            },
        ],
        [
            { source: "docker", version: "5:27.3.1-1~debian.12~bookworm" },
            {
                source: "docker",
                version: "5:27.3.1-1~debian.12~bookworm",
                pinnedPackages: ["docker-ce", "docker-ce-cli"],
                otherPackages: ["containerd.io"],
                refusedPackages: [],
            },
        ],
        [
            { version: "24.0.7-0ubuntu2~22.04.1" },
            {
                source: "distribution",
                version: "24.0.7-0ubuntu2~22.04.1",
                pinnedPackages: ["docker.io"],
                otherPackages: [],
                refusedPackages: ["docker-ce", "docker-ce-cli"],
            },
        ],
    ];
    for (const [args, plan] of good) {
        it(`takes ${JSON.stringify(args)}`, () => {
            assert.deepEqual(validateEngineArgs(args, CTX), plan);
        });
    }

    const bad: [title: string, args: unknown, message: string][] = [
        [
            "an unknown source",
            { source: "snap" },
            'args.engine.source must be "distribution" (the distribution\'s docker.io) or "docker" (Docker\'s apt repository), got "snap"',
        ],
        [
            "a source in upper case",
            { source: "Docker" },
            'args.engine.source must be "distribution" (the distribution\'s docker.io) or "docker" (Docker\'s apt repository), got "Docker"',
        ],
        [
            "a version wildcard",
            { version: "20.10.*" },
            'args.engine.version must be "latest" or an exact Debian package version such as 20.10.24+dfsg1-1+b3, got "20.10.*"',
        ],
        [
            "a version with a leading v",
            { source: "docker", version: "v27.3.1" },
            'args.engine.version must be "latest" or an exact Debian package version such as 5:27.3.1-1~debian.12~bookworm, got "v27.3.1"',
        ],
        [
            "a version with a space",
            { version: "20.10.24 docker.io" },
            'args.engine.version must be "latest" or an exact Debian package version such as 20.10.24+dfsg1-1+b3, got "20.10.24 docker.io"',
        ],
        [
            "a version with a quote",
            { version: "20.10.24'" },
            'args.engine.version must be "latest" or an exact Debian package version such as 20.10.24+dfsg1-1+b3, got "20.10.24\'"',
        ],
        [
            "a version ending in a hyphen",
            { version: "20.10.24-" },
            'args.engine.version must be "latest" or an exact Debian package version such as 20.10.24+dfsg1-1+b3, got "20.10.24-"',
        ],
        [
            "an empty version",
            { version: "" },
            'args.engine.version must be "latest" or an exact Debian package version such as 20.10.24+dfsg1-1+b3, got ""',
        ],
        [
            "stable as a version",
            { version: "stable" },
            'args.engine.version must be "latest" or an exact Debian package version such as 20.10.24+dfsg1-1+b3, got "stable"',
        ],
        [
            "a numeric version",
            { version: 27 },
            'args.engine.version must be "latest" or an exact Debian package version such as 20.10.24+dfsg1-1+b3, got 27',
        ],
        [
            "an unknown argument",
            { channel: "stable" },
            "args.engine.channel is not an argument; allowed: source, version",
        ],
    ];
    for (const [title, args, message] of bad) {
        it(`refuses ${title}`, () => {
            assert.throws(
                () => validateEngineArgs(args as EngineArgs, CTX),
                (e: unknown) => e instanceof ArgumentError && e.message === message,
            );
        });
    }
});
