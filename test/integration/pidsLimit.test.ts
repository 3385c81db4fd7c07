// CIS 5.29 on a real engine: the PIDs-limit script that HardenedContainer hands to
// `local.Command`/`remote.Command` is run here as those would run it (`sh -c <script>`, the
// container id on stdin), against a container created with HardenedContainer's flags.
// Needs a Docker engine (scripts/ci/docker-engine.sh); skipped without one unless REQUIRE_DOCKER=1.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { renderPidsLimitScript } from "../../components/container/render";
import { DOCKER, needEngineWithTestImage, TEST_IMAGE } from "./engine";

const IMAGE = TEST_IMAGE;
const PIDS_LIMIT = 64;
const TIMEOUT_MS = 60_000;

interface Result {
    status: number | null;
    stdout: string;
    stderr: string;
}

function run(file: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Result {
    const r = spawnSync(file, args, {
        input: opts.input,
        env: opts.env ?? process.env,
        encoding: "utf8",
        timeout: TIMEOUT_MS,
    });
    if (r.error !== undefined) {
        throw r.error;
    }
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function docker(...args: string[]): Result {
    return run(DOCKER, args);
}

/** Like `docker`, but fails the test on a non-zero exit; returns stdout. */
function dockerOk(...args: string[]): string {
    const r = docker(...args);
    assert.equal(r.status, 0, `docker ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout;
}

/** @pulumi/command trims one trailing newline from stdout and stderr. */
function trimOne(s: string): string {
    return s.endsWith("\n") ? s.slice(0, -1) : s;
}

function pidsLimitOf(cid: string): string {
    return dockerOk("inspect", "-f", "{{.HostConfig.PidsLimit}}", cid).trim();
}

describe("integration: PIDs limit script on a real engine (CIS 5.29)", function () {
    this.timeout(180_000);

    let binDir: string | undefined;
    let cid: string | undefined;
    let scriptEnv: NodeJS.ProcessEnv;

    /** Runs the script as the local/remote Command does: `sh -c <script>`, stdin as given. */
    function runScript(script: string, stdin: string): Result {
        return run("/bin/sh", ["-c", script], { input: stdin, env: scriptEnv });
    }

    before(function () {
        needEngineWithTestImage(this, TIMEOUT_MS);

        // `docker` on PATH is the Debian client; `sudo` is a tripwire for the root path.
        binDir = fs.mkdtempSync(path.join(os.tmpdir(), "hd-pids-bin-"));
        fs.symlinkSync(DOCKER, path.join(binDir, "docker"));
        fs.writeFileSync(path.join(binDir, "sudo"), "#!/bin/sh\necho 'sudo was called' >&2\nexit 97\n", {
            mode: 0o755,
        });
        scriptEnv = { ...process.env, PATH: `${binDir}:${process.env.PATH ?? "/usr/bin:/bin"}` };
        delete scriptEnv.DOCKER_HOST;

        const name = `hd-pids-${randomBytes(6).toString("hex")}`;
        cid = dockerOk(
            "run",
            "-d",
            "--name",
            name,
            "--user",
            "10001:10001",
            "--read-only",
            "--cap-drop",
            "ALL",
            "--security-opt",
            "no-new-privileges:true",
            "--init",
            "--network",
            "none",
            IMAGE,
            "sleep",
            "600",
        ).trim();
        assert.match(cid, /^[0-9a-f]{64}$/);
        // Engine 20.10 reports "<nil>" for an unset limit.
        assert.equal(pidsLimitOf(cid), "<nil>", "a fresh container has no PIDs limit");
    });

    after(function () {
        if (cid !== undefined) {
            spawnSync(DOCKER, ["rm", "-f", cid], { timeout: TIMEOUT_MS });
        }
        if (binDir !== undefined) {
            fs.rmSync(binDir, { recursive: true, force: true });
        }
    });

    it("the local script applies the limit and prints pids-limit=64, from the id as the command sends it", function () {
        // @pulumi/command passes `stdin: container.id` as is: no trailing newline.
        const r = runScript(renderPidsLimitScript(PIDS_LIMIT, "local"), cid!);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(trimOne(r.stdout), "pids-limit=64");
        assert.equal(r.stderr, "");
        assert.equal(pidsLimitOf(cid!), "64");
    });

    it("the ssh script, run as root, takes the no-sudo path and is idempotent", function () {
        if (process.getuid?.() !== 0) {
            this.skip();
        }
        const script = renderPidsLimitScript(PIDS_LIMIT, "ssh");
        const first = runScript(script, `${cid}\n`);
        assert.equal(first.status, 0, first.stderr);
        assert.equal(trimOne(first.stdout), "pids-limit=64");
        assert.equal(first.stderr, "");
        const second = runScript(script, `${cid}\n`);
        assert.equal(second.status, 0, second.stderr);
        assert.equal(trimOne(second.stdout), trimOne(first.stdout));
        assert.equal(second.stderr, "");
        assert.equal(pidsLimitOf(cid!), "64");
    });

    it("the kernel enforces the limit inside the container", function () {
        const pidsMax = dockerOk(
            "exec",
            cid!,
            "sh",
            "-c",
            "if [ -f /sys/fs/cgroup/pids/pids.max ]; then cat /sys/fs/cgroup/pids/pids.max; " +
                "else cat /sys/fs/cgroup/pids.max; fi",
        );
        assert.equal(pidsMax.trim(), "64");

        // ash exits at the first failed fork; each started sleep prints its pid on stdout (the
        // root is read-only). The short sleep lets the pids go even if the kill below fails.
        const fork = docker(
            "exec",
            cid!,
            "sh",
            "-c",
            'i=0; while [ "$i" -lt 200 ]; do sleep 30 & echo "$!"; i=$((i + 1)); done',
        );
        const pids = fork.stdout.split("\n").filter((line) => /^[0-9]+$/.test(line));
        // The exec'd sh has ended, so one pid is free for the kill.
        docker("exec", cid!, "kill", ...pids);

        assert.notEqual(fork.status, 0, "the fork loop should have hit the limit");
        assert.match(fork.stderr, /can't fork/);
        assert.ok(pids.length < PIDS_LIMIT, `${pids.length} background processes started, limit ${PIDS_LIMIT}`);
        assert.ok(pids.length >= 50, `only ${pids.length} background processes started`);
    });

    it("the limit survives a restart", function () {
        dockerOk("restart", "-t", "1", cid!);
        assert.equal(pidsLimitOf(cid!), "64");
        assert.equal(dockerOk("inspect", "-f", "{{.State.Running}}", cid!).trim(), "true");
    });

    it("the script refuses a bad id on stdin", function () {
        const script = renderPidsLimitScript(PIDS_LIMIT, "local");
        const bad = runScript(script, "not-an-id\n");
        assert.equal(bad.status, 64);
        assert.equal(bad.stdout, "");
        assert.ok(bad.stderr.includes("expected a container id on stdin"), bad.stderr);

        const missing = runScript(script, `${"0".repeat(64)}\n`);
        assert.notEqual(missing.status, 0);
        assert.equal(missing.stdout, "");
        assert.equal(pidsLimitOf(cid!), "64");
    });
});
