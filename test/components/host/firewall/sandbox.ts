import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * A throwaway host for the firewall's real-tool tests: private network, mount and PID namespaces
 * (`unshare`), with /etc as an overlay over a temporary directory and /run as a fresh tmpfs. nft
 * there sees an empty ruleset of its own; what the scripts write to /etc lands in the temporary
 * directory; processes left behind (the rollback sleeper) die with the namespace. The host's real
 * ruleset and files are never touched.
 */
export interface SandboxResult {
    status: number | null;
    stdout: string;
    stderr: string;
    /** Files the driver wrote under /etc: path (from /etc) to content and octal mode. */
    etc: Record<string, { content: string; mode: string }>;
}

function walk(dir: string, base: string, out: SandboxResult["etc"]): void {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        const rel = path.posix.join(base, entry.name);
        if (entry.isDirectory()) {
            walk(full, rel, out);
        } else if (entry.isFile()) {
            out[rel] = {
                content: fs.readFileSync(full, "utf8"),
                mode: (fs.statSync(full).mode & 0o7777).toString(8).padStart(4, "0"),
            };
        }
    }
}

/**
 * Runs `driver` (bash) in a new sandbox. `inputs` are written to files whose paths the driver finds
 * in `$IN/<name>`. `env` is the whole environment besides PATH (no SSH_CONNECTION unless given).
 */
export function sandbox(driver: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdfw-test-"));
    try {
        for (const sub of ["in", "upper", "work"]) {
            fs.mkdirSync(path.join(dir, sub));
        }
        for (const [name, content] of Object.entries(inputs)) {
            fs.writeFileSync(path.join(dir, "in", name), content);
        }
        const wrapper = [
            "set -euo pipefail",
            `mount -t overlay overlay -o lowerdir=/etc,upperdir=${dir}/upper,workdir=${dir}/work /etc`,
            "mount -t tmpfs tmpfs /run",
            "ip link set lo up",
            `export IN=${dir}/in`,
            driver,
        ].join("\n");
        const r = spawnSync("unshare", ["--net", "--mount", "--pid", "--fork", "--mount-proc", "bash", "-c", wrapper], {
            encoding: "utf8",
            timeout: 120000,
            stdio: ["ignore", "pipe", "pipe"],
            env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", ...env },
        });
        if (r.error !== undefined) {
            throw r.error;
        }
        const etc: SandboxResult["etc"] = {};
        walk(path.join(dir, "upper"), "/etc", etc);
        return { status: r.status, stdout: r.stdout, stderr: r.stderr, etc } satisfies SandboxResult;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

let usable: boolean | undefined;

/** Can this machine run the sandbox (root, unshare, overlayfs, nft)? Probed once. */
export function sandboxUsable(): boolean {
    if (usable === undefined) {
        try {
            usable =
                typeof process.getuid === "function" &&
                process.getuid() === 0 &&
                spawnSync("nft", ["--version"]).status === 0 &&
                sandbox("nft list ruleset >/dev/null").status === 0;
        } catch {
            usable = false;
        }
    }
    return usable;
}

/** Skips the test when a tool is missing, or fails it when REQUIRE_TOOLS=1 (CI). */
export function requireTool(ctx: Mocha.Context, available: boolean, what: string): void {
    if (!available) {
        if (process.env.REQUIRE_TOOLS === "1") {
            throw new Error(`${what} is not available`);
        }
        ctx.skip();
    }
}
