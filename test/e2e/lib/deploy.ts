/**
 * What the end-to-end run and the convergence benchmark do to a sandbox: seed it (stand-in images in
 * its registry, and data made before hardening), and apply the real program to it, each apply in its
 * own process like `pulumi up` (../apply.ts).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { ApplyRecord } from "./executor";
import type { Sandbox } from "./sandbox";

const ROOT = path.resolve(__dirname, "../../..");
export const REGISTRY = "127.0.0.1:5000/hd";

export interface ApplyResult {
    ok: boolean;
    errors: string[];
    records: ApplyRecord[];
    outputs: Record<string, unknown>;
    sshSessions: number;
    ms: number;
}

/** Applies the program to the sandbox, the state kept in `work`; numbered requests and results stay there. */
export class Deployer {
    private count = 0;

    constructor(
        private readonly sb: Sandbox,
        private readonly work: string,
    ) {}

    /** One apply with this config; `force` is a regexp of resource keys to run even when unchanged. */
    apply(config: Record<string, unknown>, force?: string): ApplyResult {
        this.count += 1;
        const req = {
            config,
            statePath: path.join(this.work, "state.json"),
            resultPath: path.join(this.work, `result-${this.count}.json`),
            dockerSshKeyPath: this.sb.info.privateKeyPath,
            knownHosts: { [`${this.sb.info.sshHost}:${this.sb.info.sshPort}`]: this.sb.info.hostKey },
            ...(force === undefined ? {} : { force }),
        };
        const reqPath = path.join(this.work, `request-${this.count}.json`);
        writeFileSync(reqPath, JSON.stringify(req), { mode: 0o600 });
        const r = spawnSync(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", path.join(__dirname, "../apply.ts"), reqPath],
            {
                cwd: ROOT,
                stdio: ["ignore", "inherit", "inherit"],
                env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1" },
            },
        );
        if (r.status !== 0) {
            throw new Error(`the apply process itself crashed (${r.status ?? r.signal})`);
        }
        return JSON.parse(readFileSync(req.resultPath, "utf8")) as ApplyResult;
    }
}

/** What the seed left on the sandbox, to be found again after hardening. */
export interface Seeded {
    image: string;
    container: string;
    payloadSha: string;
    volumePath: string;
    /** A file in the home of the login account the accounts step removes, and its sha256. */
    homeFile: string;
    homeFileSha: string;
}

/** A system account the seed gives a shell and a password: the accounts step locks it. */
export const SEEDED_SYSTEM_ACCOUNT = "hd-e2e-svc";
/** A login account nobody lists: the accounts step removes it (removeUnlisted), keeping its home. */
export const SEEDED_LOGIN_ACCOUNT = "hd-e2e-old";

/**
 * Pushes the stand-in images to the sandbox's registry, makes data that must survive hardening (an
 * image, a volume with random bytes, a stopped container), and returns the example's config for
 * this sandbox.
 */
export async function seedSandbox(sb: Sandbox): Promise<{ config: Record<string, unknown>; seeded: Seeded }> {
    const tar = spawnSync("bash", [path.join(ROOT, "scripts/e2e/standin-rootfs.sh")], { maxBuffer: 64 << 20 });
    if (tar.status !== 0) {
        throw new Error(`scripts/e2e/standin-rootfs.sh failed: ${tar.stderr?.toString()}`);
    }
    const tarB64 = tar.stdout.toString("base64");
    await sb.sudoOk(
        [
            "base64 -d >/tmp/standin.tar",
            `docker import --change 'USER 101:101' --change 'WORKDIR /' --change 'CMD ["/bin/httpd","-f","-p","8080","-h","/www"]' /tmp/standin.tar ${REGISTRY}/web:standin >/dev/null`,
            // The API's image works in /home/app, as podinfo's does (its AppArmor profile names it).
            `docker import --change 'WORKDIR /home/app' /tmp/standin.tar ${REGISTRY}/api:standin >/dev/null`,
            `docker push -q ${REGISTRY}/web:standin >/dev/null`,
            `docker push -q ${REGISTRY}/api:standin >/dev/null`,
            // Data made before hardening: it must survive the move onto the data disk.
            "docker import /tmp/standin.tar hd-e2e/preexisting:1 >/dev/null",
            "docker volume create hd-e2e-data >/dev/null",
            "docker run --rm -v hd-e2e-data:/d hd-e2e/preexisting:1 /bin/busybox dd if=/dev/urandom of=/d/payload.bin bs=65536 count=16 2>/dev/null",
            "docker create --name hd-e2e-keep -v hd-e2e-data:/d hd-e2e/preexisting:1 /bin/sleep 1 >/dev/null",
            // Accounts for the accounts step: a system account with a shell and a password (to be
            // locked), and a login account nobody listed (to be removed, its home kept).
            `useradd --system --shell /bin/bash ${SEEDED_SYSTEM_ACCOUNT}`,
            `echo '${SEEDED_SYSTEM_ACCOUNT}:sandbox-only-password' | chpasswd`,
            `useradd --create-home --shell /bin/bash ${SEEDED_LOGIN_ACCOUNT}`,
            `head -c 4096 /dev/urandom >/home/${SEEDED_LOGIN_ACCOUNT}/notes.bin`,
        ].join(" && "),
        tarB64,
    );
    // Each name's own digest reference.
    const digest = async (name: string) => {
        const ref =
            (
                await sb.sudoOk(
                    `docker inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' ${REGISTRY}/${name}:standin`,
                )
            )
                .split("\n")
                .find((l) => l.startsWith(`${REGISTRY}/${name}@`)) ?? "";
        if (!/^127\.0\.0\.1:5000\/hd\/[a-z]+@sha256:[0-9a-f]{64}$/.test(ref)) {
            throw new Error(`the sandbox's registry gave no digest for ${name}: "${ref}"`);
        }
        return ref;
    };
    const web = await digest("web");
    const api = await digest("api");
    const volumePath = "/var/lib/docker/volumes/hd-e2e-data/_data/payload.bin";
    const homeFile = `/home/${SEEDED_LOGIN_ACCOUNT}/notes.bin`;
    const seeded: Seeded = {
        image: (await sb.sudoOk("docker image inspect --format '{{.Id}}' hd-e2e/preexisting:1")).trim(),
        container: (await sb.sudoOk("docker inspect --format '{{.Id}}' hd-e2e-keep")).trim(),
        volumePath,
        payloadSha: (await sb.sudoOk(`sha256sum ${volumePath}`)).split(" ")[0],
        homeFile,
        homeFileSha: (await sb.sudoOk(`sha256sum ${homeFile}`)).split(" ")[0],
    };
    const config = {
        target: "ssh",
        ssh: {
            address: sb.info.sshHost,
            port: sb.info.sshPort,
            user: sb.info.user,
            dataDevice: sb.info.dataDevice,
            hostKey: sb.info.hostKey,
        },
        sshPrivateKey: sb.privateKey,
        adminCidrs: [`${sb.info.clientAddress}/32`],
        clientCidrs: [`${sb.info.clientAddress}/32`],
        noRemoteLoggingReason: "the sandbox has no log server; logs stay in its journal",
        trustedUsers: [],
        trustedRegistries: [REGISTRY],
        publishAddress: sb.info.guestAddress,
        webImage: web,
        apiImage: api,
        webPort: 8080,
        apiPort: 9898,
        // The unlisted login account the seed made goes; its home stays.
        accounts: { removeUnlisted: true },
        // The stand-in's podinfo and podcli are shell scripts: its busybox runs them.
        apiExtraPrograms: ["/bin/busybox"],
    };
    return { config, seeded };
}
