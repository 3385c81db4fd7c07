import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as entry from "../../components";

const ROOT = resolve(__dirname, "../..");

/** The module specifiers a TypeScript file imports from. */
function imports(file: string): string[] {
    const text = readFileSync(join(ROOT, file), "utf8");
    return [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/gms)].map((m) => m[1]);
}

describe("the package's entry point (components/index.ts)", () => {
    it("exports the five components and the argument error", () => {
        for (const name of [
            "HardenedHost",
            "DockerDaemon",
            "HardenedContainer",
            "HardenedNetwork",
            "ComplianceAudit",
            "ArgumentError",
        ] as const) {
            assert.equal(typeof entry[name], "function", name);
        }
        assert.equal(entry.CIS_BENCHMARK_VERSION, "1.6.0");
    });

    it("is what the package.json exports and declares", () => {
        const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
        assert.equal(pkg.main, "dist/components/index.js");
        assert.equal(pkg.types, "dist/components/index.d.ts");
        assert.deepEqual(pkg.exports, {
            ".": { types: "./dist/components/index.d.ts", default: "./dist/components/index.js" },
            "./package.json": "./package.json",
        });
    });

    it("is the only way the example programs reach the components, as a user's program would", () => {
        for (const file of ["example/app.ts", "example/config.ts", "index.ts", "examples/app-team/index.ts"]) {
            const deep = imports(file).filter((s) => /(^|\/)components(\/|$)/.test(s));
            assert.deepEqual(deep, [], file);
        }
        assert.ok(imports("example/app.ts").includes("hardened-docker"));
        assert.ok(imports("examples/app-team/index.ts").includes("hardened-docker"));
    });

    it("has a changelog entry for the package's version", () => {
        const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
        const first = readFileSync(join(ROOT, "CHANGELOG.md"), "utf8").match(/^## (\S+)/m);
        assert.equal(first?.[1], pkg.version);
    });
});
