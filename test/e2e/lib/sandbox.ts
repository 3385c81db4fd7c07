/**
 * The local sandbox VM (scripts/sandbox/), as the end-to-end run uses it: started and stopped by
 * the npm scripts, described by the sandbox.json that up.sh writes.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { connect, run, runOk, type ExecResult, type SshTarget } from "./ssh";

export interface SandboxInfo {
    sshHost: string;
    sshPort: number;
    user: string;
    password: string;
    privateKeyPath: string;
    publicKey: string;
    hostKey: string;
    knownHostsPath: string;
    dataDevice: string;
    guestAddress: string;
    clientAddress: string;
    forwards: Record<string, number>;
    pidFile: string;
    consoleLog: string;
    qmpSocket: string;
    imageDir: string;
    runDir: string;
}

const ROOT = path.resolve(__dirname, "../../..");

function script(name: string, args: string[] = []): string {
    const r = spawnSync("bash", [path.join(ROOT, "scripts/sandbox", name), ...args], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        env: process.env,
    });
    if (r.status !== 0) {
        throw new Error(`scripts/sandbox/${name} exited ${r.status}`);
    }
    return r.stdout;
}

export class Sandbox {
    readonly info: SandboxInfo;
    readonly privateKey: string;

    private constructor(info: SandboxInfo) {
        this.info = info;
        this.privateKey = readFileSync(info.privateKeyPath, "utf8");
    }

    /** Builds the image if its recipe changed, boots a fresh VM and waits for SSH. */
    static up(): Sandbox {
        const out = script("up.sh").trim().split("\n");
        const json = out[out.length - 1];
        return new Sandbox(JSON.parse(readFileSync(json, "utf8")) as SandboxInfo);
    }

    /** The sandbox that is running now (started by `npm run sandbox:up` or a kept e2e run). */
    static attach(): Sandbox {
        const runDir = process.env.HD_SANDBOX_RUN ?? path.join(os.homedir(), ".cache/hardened-docker/sandbox/run");
        return new Sandbox(JSON.parse(readFileSync(path.join(runDir, "sandbox.json"), "utf8")) as SandboxInfo);
    }

    static down(): void {
        script("down.sh");
    }

    /** The deployment user's connection, with the pinned host key. */
    target(overrides: Partial<SshTarget> = {}): SshTarget {
        return {
            host: this.info.sshHost,
            port: this.info.sshPort,
            user: this.info.user,
            privateKey: this.privateKey,
            hostKey: this.info.hostKey,
            ...overrides,
        };
    }

    /** Runs a command as root (sudo -n) and returns the result. */
    sudo(command: string, stdin?: string): Promise<ExecResult> {
        return run(this.target(), `sudo -n bash -c ${quote(command)}`, stdin);
    }

    /** Runs a command as root and throws unless it exits 0; returns stdout. */
    sudoOk(command: string, stdin?: string): Promise<string> {
        return runOk(this.target(), `sudo -n bash -c ${quote(command)}`, stdin);
    }

    /** Whether the deployment user can log in right now. */
    async canLogIn(): Promise<boolean> {
        try {
            const c = await connect(this.target(), 15000);
            c.end();
            return true;
        } catch {
            return false;
        }
    }

    /** Reboots the guest and waits until SSH answers again; returns the seconds it took. */
    async reboot(timeoutSeconds = 300): Promise<number> {
        const started = Date.now();
        const bootId = (await this.sudoOk("cat /proc/sys/kernel/random/boot_id")).trim();
        await this.sudo("systemctl reboot").catch(() => undefined);
        const deadline = started + timeoutSeconds * 1000;
        for (;;) {
            if (Date.now() > deadline) {
                throw new Error(`the sandbox did not come back within ${timeoutSeconds} s of a reboot`);
            }
            await new Promise((r) => setTimeout(r, 3000));
            try {
                const now = (await this.sudoOk("cat /proc/sys/kernel/random/boot_id")).trim();
                if (now !== bootId) {
                    // Wait for the boot to finish (units started), not only for sshd.
                    await this.sudo("systemctl is-system-running --wait");
                    return Math.round((Date.now() - started) / 1000);
                }
            } catch {
                // not up yet
            }
        }
    }
}

function quote(s: string): string {
    return `'${s.replace(/'/g, `'\\''`)}'`;
}
