import { execFileSync, spawnSync } from "node:child_process";
import * as path from "node:path";

/** The engine's CLI, and the registry-free test image scripts/ci/test-image.sh builds. */
export const DOCKER = "/usr/bin/docker";
export const TEST_IMAGE = "hardened-docker-test/busybox:1";
const REPO_ROOT = path.resolve(__dirname, "../..");

/**
 * In a suite's `before`: skips the suite when no Docker engine answers (fails instead under
 * REQUIRE_DOCKER=1), and builds the test image when it is missing.
 */
export function needEngineWithTestImage(ctx: Mocha.Context, timeoutMs: number): void {
    const version = spawnSync(DOCKER, ["version", "--format", "{{.Server.Version}}"], {
        encoding: "utf8",
        timeout: 20_000,
    });
    if (version.error !== undefined || version.status !== 0) {
        const why = `no Docker engine answers via ${DOCKER}: ${version.error?.message ?? version.stderr.trim()}`;
        if (process.env.REQUIRE_DOCKER === "1") {
            throw new Error(`REQUIRE_DOCKER=1 but ${why} (run scripts/ci/docker-engine.sh)`);
        }
        console.log(`    skipping: ${why}`);
        ctx.skip();
    }
    execFileSync("bash", [path.join(REPO_ROOT, "scripts/ci/test-image.sh")], {
        env: { ...process.env, DOCKER },
        stdio: ["ignore", "ignore", "inherit"],
        timeout: timeoutMs,
    });
}
