/**
 * The end-to-end proof: the real program (index.ts) applied to the local sandbox VM on the `ssh`
 * target, every remote command really run over SSH and every Docker resource really created on the
 * sandbox's engine (see lib/executor.ts and lib/dockerAdapter.ts), then the host checked with its
 * own tools. Run with `npm run test:e2e` (it boots and removes the sandbox itself; HD_E2E_KEEP=1
 * leaves it running). Prints the duration of each phase.
 */
import * as assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { AUDIT_CHECKS, type AuditReport } from "../../components/compliance";
import { CONTAINER_DEFAULTS } from "../../components/container/defaults";
import { STEP_ORDER } from "../../components/host";
import { validateAccountsArgs } from "../../components/host/accounts";
import { validateHygieneArgs } from "../../components/host/hygiene";
import { EXAMPLE_API_DENIED_SYSCALLS } from "../../example/app";
import { checkAll, checkFirewall, checkSsh, failures, type Deployment } from "./lib/checks";
import {
    Deployer,
    SEEDED_LOGIN_ACCOUNT,
    SEEDED_SYSTEM_ACCOUNT,
    seedSandbox,
    type ApplyResult,
    type Seeded,
} from "./lib/deploy";
import { Sandbox } from "./lib/sandbox";

/** What the host steps know of the sandbox: its deployment user, as the example connects. */
function hostContext(sb: Sandbox) {
    return { connectionUser: sb.info.user, sshPort: 22, dataRoot: "/var/lib/docker" };
}

/** The host's steps in this stack: no log server in the sandbox, so no logging step (its waiver instead). */
const HOST_STEPS = STEP_ORDER.filter((id) => id !== "logging");
/** The controls the sandbox does not have: no SELinux, no TLS socket, no registry certificates, no RHEL paths. */
const NOT_APPLICABLE = ["1.1.13", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.21", "3.22", "5.3"];
/** Relaxed by the example with reasons: no authorization plugin (DockerDaemon), no log server (HardenedHost). */
const WAIVED = ["2.12", "2.13"];

/** The audit report's CIS ids per status. */
function byStatus(report: AuditReport): Record<string, string[]> {
    const out: Record<string, string[]> = { pass: [], fail: [], "not-applicable": [], waived: [] };
    for (const c of report.checks) {
        if (!out[c.status].includes(c.cis)) {
            out[c.status].push(c.cis);
        }
    }
    return out;
}

const phases: [string, number][] = [];

async function phase<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    const started = Date.now();
    try {
        return await fn();
    } finally {
        const s = (Date.now() - started) / 1000;
        phases.push([name, s]);
        process.stdout.write(`      [phase] ${name}: ${s.toFixed(1)} s\n`);
    }
}

describe("end to end on the sandbox VM", function () {
    this.timeout(0);
    let sb: Sandbox;
    let work: string;
    let config: Record<string, unknown>;
    let dep: Deployment;
    let deployer: Deployer;

    function apply(overrides: Record<string, unknown> = {}, force?: string): ApplyResult {
        return deployer.apply({ ...config, ...overrides }, force);
    }

    /** sha256 of every regular file under /etc, the loaded ruleset and audit rules, the unit states. */
    async function snapshot(): Promise<string> {
        return sb.sudoOk(
            [
                "find /etc -xdev -type f -print0 | sort -z | xargs -0 sha256sum",
                // -s: without counters, which every packet changes.
                "nft -s list ruleset | sha256sum | sed 's/-$/nft-ruleset/'",
                "auditctl -l | sha256sum | sed 's/-$/audit-rules/'",
                "stat -c '%n %a %U:%G' /etc/docker /etc/docker/daemon.json /var/run/docker.sock /etc/ssh/sshd_config",
                "systemctl show -p MainPID --value docker.service | sed 's/^/dockerd pid /'",
                "systemctl show -p MainPID --value ssh.service | sed 's/^/sshd pid /'",
            ].join("; "),
        );
    }

    function diffLines(a: string, b: string): string {
        const A = new Set(a.split("\n"));
        const B = new Set(b.split("\n"));
        return [
            ...[...A].filter((l) => !B.has(l)).map((l) => `- ${l}`),
            ...[...B].filter((l) => !A.has(l)).map((l) => `+ ${l}`),
        ].join("\n");
    }

    before(async () => {
        await phase("sandbox: build (cached unless the recipe changed) and boot to SSH", () => {
            Sandbox.down();
            sb = Sandbox.up();
        });
        work = path.join(sb.info.runDir, "e2e");
        mkdirSync(work, { recursive: true, mode: 0o700 });
        deployer = new Deployer(sb, work);
    });

    after(() => {
        process.stdout.write("\n      phase timings:\n");
        for (const [name, s] of phases) {
            process.stdout.write(`        ${s.toFixed(1).padStart(7)} s  ${name}\n`);
        }
        if (process.env.HD_E2E_KEEP !== "1" && sb !== undefined) {
            Sandbox.down();
        }
    });

    it("before hardening, the sandbox takes password and root logins and its data disk is empty", async () => {
        const before = await checkSsh(sb);
        const by = (what: string) => before.find((c) => c.what === what)!;
        // The positive controls for the checks after hardening: these logins do work now.
        assert.equal(by("a password login is refused").ok, false);
        assert.equal(by("root's key login is refused").ok, false);
        assert.equal((await sb.sudoOk(`blkid -p ${sb.info.dataDevice} >/dev/null; echo $?`)).trim(), "2");
    });

    let seeded: Seeded;

    it("pushes the stand-in images to the sandbox's registry and creates data that must survive", async () => {
        await phase("seed: stand-in images and data before the first apply", async () => {
            ({ config, seeded } = await seedSandbox(sb));
            assert.match(config.webImage as string, /^127\.0\.0\.1:5000\/hd\/web@sha256:[0-9a-f]{64}$/);
            assert.match(config.apiImage as string, /^127\.0\.0\.1:5000\/hd\/api@sha256:[0-9a-f]{64}$/);
            assert.match(seeded.payloadSha, /^[0-9a-f]{64}$/);
        });
    });

    let first: ApplyResult;
    it("the first apply hardens the host and deploys the services", async () => {
        first = await phase("apply 1: harden the host, configure the daemon, deploy", () => apply());
        assert.deepEqual(first.errors, []);
        assert.equal(first.ok, true);
        const created = first.records.filter((r) => r.action === "created").map((r) => r.key);
        assert.deepEqual(
            created.filter((k) => k.startsWith("command:remote:Command::docker-host-")),
            HOST_STEPS.map((id) => `command:remote:Command::docker-host-${id}`),
        );
        // The audit runs last, after every step and container.
        assert.equal(created[created.length - 1], "command:remote:Command::compliance-collect");
        const out = first.outputs as { containers: { web: string; api: string }; network: string; daemonJson: string };
        dep = {
            containers: out.containers,
            network: out.network,
            daemonJson: JSON.parse(out.daemonJson) as Record<string, unknown>,
            limits: {
                web: { memoryMb: 128, pidsLimit: 64 },
                api: { memoryMb: 256, pidsLimit: CONTAINER_DEFAULTS.pidsLimit },
            },
            seccompDeniesChmod: { web: false, api: EXAMPLE_API_DENIED_SYSCALLS.includes("chmod") },
            appArmor: { web: "docker-default", api: "hd-example-api" },
            // The example gives no accounts or hygiene arguments: the defaults, for its deployment user.
            loginUsers: validateAccountsArgs(undefined, hostContext(sb)).loginUsers,
            shell: validateHygieneArgs(undefined, hostContext(sb)),
            webPort: 8080,
            apiPort: 9898,
        };
        process.stdout.write(
            `      step times: ${first.records.map((r) => `${r.key.split("::")[1]} ${(r.ms / 1000).toFixed(1)} s`).join(", ")}\n`,
        );
    });

    it("every control holds on the hardened host", async () => {
        const checks = await phase("checks after apply 1", () => checkAll(sb, dep));
        process.stdout.write(`      ${checks.length} checks, ${checks.filter((c) => c.ok).length} pass\n`);
        assert.equal(failures(checks), "");
    });

    it("the compliance audit on the host passes every automatable control it checks", () => {
        const report = first.outputs.complianceReport as AuditReport;
        process.stdout.write(`      ${(first.outputs.complianceSummary as string).split("\n").join("\n      ")}\n`);
        const statuses = byStatus(report);
        assert.deepEqual(statuses.fail, []);
        assert.deepEqual(report.mandatoryFailed, []);
        assert.deepEqual(statuses["not-applicable"], NOT_APPLICABLE);
        assert.deepEqual(statuses.waived, WAIVED);
        const passing = [...new Set(AUDIT_CHECKS.map((c) => c.cis))].filter(
            (id) => !NOT_APPLICABLE.includes(id) && !WAIVED.includes(id),
        );
        assert.deepEqual(statuses.pass, passing);
        assert.equal(report.checks.length, AUDIT_CHECKS.length);
        assert.equal(report.host.hostname, "hd-sandbox");
        // Each waiver names the component argument that made it, with its reason.
        assert.deepEqual(
            report.checks.filter((c) => c.status === "waived").map((c) => c.waivers?.map((w) => w.by)),
            [["DockerDaemon args.config.waivers.noAuthorizationPlugin"], ["HardenedHost args.waivers.noRemoteLogging"]],
        );
    });

    it("the accounts step locked the seeded system account and removed the unlisted login account, keeping its home", async () => {
        const svc = (await sb.sudoOk(`getent passwd ${SEEDED_SYSTEM_ACCOUNT} | cut -d: -f7`)).trim();
        const svcPassword = (await sb.sudoOk(`getent shadow ${SEEDED_SYSTEM_ACCOUNT} | cut -d: -f2 | cut -c1`)).trim();
        assert.deepEqual([svc, svcPassword], ["/usr/sbin/nologin", "!"]);
        const gone = await sb.sudo(`getent passwd ${SEEDED_LOGIN_ACCOUNT}`);
        assert.equal(gone.code, 2);
        assert.equal((await sb.sudoOk(`sha256sum ${seeded.homeFile}`)).split(" ")[0], seeded.homeFileSha);
    });

    it("the data made before hardening moved onto the data disk, byte for byte", async () => {
        // userns-remap (CIS 2.9) gives the daemon a new root under the data root, so what was made
        // before stays in the un-remapped tree: on the data disk, byte for byte.
        const sum = (await sb.sudoOk(`sha256sum ${seeded.volumePath}`)).split(" ")[0];
        assert.equal(sum, seeded.payloadSha);
        const src = (await sb.sudoOk(`findmnt -n -o SOURCE --target ${seeded.volumePath}`)).trim();
        assert.equal(src, (await sb.sudoOk(`readlink -f ${sb.info.dataDevice}`)).trim());
        await sb.sudoOk(`test -f /var/lib/docker/containers/${seeded.container}/config.v2.json`);
        await sb.sudoOk(
            `test -f /var/lib/docker/image/overlay2/imagedb/content/sha256/${seeded.image.replace("sha256:", "")}`,
        );
    });

    const kept = { image: "", container: "", volumeSha: "" };
    it("a second apply changes nothing: no command runs, every file is byte-identical", async () => {
        // Data made on the hardened daemon before the second apply.
        await sb.sudoOk(
            [
                "docker import /tmp/standin.tar hd-e2e/kept:1 >/dev/null",
                "docker volume create hd-e2e-kept >/dev/null",
                "docker run --rm -v hd-e2e-kept:/d hd-e2e/kept:1 /bin/busybox dd if=/dev/urandom of=/d/payload.bin bs=65536 count=16 2>/dev/null",
                "docker create --name hd-e2e-kept -v hd-e2e-kept:/d hd-e2e/kept:1 /bin/sleep 1 >/dev/null",
            ].join(" && "),
        );
        kept.image = (await sb.sudoOk("docker image inspect --format '{{.Id}}' hd-e2e/kept:1")).trim();
        kept.container = (await sb.sudoOk("docker inspect --format '{{.Id}}' hd-e2e-kept")).trim();
        kept.volumeSha = await volumeSha(sb, "hd-e2e-kept");
        const before = await snapshot();
        const second = await phase("apply 2: nothing changed", () => apply());
        assert.deepEqual(second.errors, []);
        assert.deepEqual(
            second.records.filter((r) => r.action !== "unchanged").map((r) => r.key),
            [],
        );
        assert.equal(second.sshSessions, 0);
        assert.equal(diffLines(before, await snapshot()), "");
    });

    it("running every host and daemon step again changes no file and restarts nothing", async () => {
        const before = await snapshot();
        const started = await sb.sudoOk(
            `docker inspect --format '{{.State.StartedAt}}' ${dep.containers.web} ${dep.containers.api}`,
        );
        const forced = await phase("apply 3: every step forced to run again", () =>
            apply({}, "^command:remote:Command::docker-(host|daemon)-"),
        );
        assert.deepEqual(forced.errors, []);
        const ran = forced.records.filter((r) => r.action === "replaced").map((r) => r.key.split("::")[1]);
        assert.deepEqual(
            ran.filter((n) => n.startsWith("docker-host-")),
            HOST_STEPS.map((id) => `docker-host-${id}`),
        );
        assert.equal(diffLines(before, await snapshot()), "");
        assert.equal(
            await sb.sudoOk(
                `docker inspect --format '{{.State.StartedAt}}' ${dep.containers.web} ${dep.containers.api}`,
            ),
            started,
        );
    });

    it("what was made before the second apply is still there, byte for byte", async () => {
        await assertKept();
    });

    async function assertKept(): Promise<void> {
        assert.equal((await sb.sudoOk("docker image inspect --format '{{.Id}}' hd-e2e/kept:1")).trim(), kept.image);
        assert.equal((await sb.sudoOk("docker inspect --format '{{.Id}}' hd-e2e-kept")).trim(), kept.container);
        assert.equal(await volumeSha(sb, "hd-e2e-kept"), kept.volumeSha);
        assert.equal((await sb.sudoOk(`sha256sum ${seeded.volumePath}`)).split(" ")[0], seeded.payloadSha);
    }

    it("after a reboot every check passes again and the data is still there", async () => {
        const seconds = await phase("reboot to SSH", () => sb.reboot());
        process.stdout.write(`      rebooted in ${seconds} s\n`);
        // Restarted containers need a moment to report healthy and to be published.
        await waitFor(async () => (await checkFirewall(sb, dep)).every((c) => c.ok), 120);
        const checks = await phase("checks after the reboot", () => checkAll(sb, dep));
        assert.equal(failures(checks), "");
        await assertKept();
        // The audit, run again on demand (a new rerun trigger), sees the same after the reboot.
        const audit = await phase("apply: the audit alone, after the reboot", () =>
            apply({ auditRun: "after-reboot" }),
        );
        assert.deepEqual(audit.errors, []);
        assert.deepEqual(
            audit.records.filter((r) => r.action !== "unchanged").map((r) => `${r.key} ${r.action}`),
            ["command:remote:Command::compliance-collect replaced"],
        );
        const statuses = byStatus(audit.outputs.complianceReport as AuditReport);
        assert.deepEqual(statuses.fail, []);
        assert.deepEqual(statuses.waived, WAIVED);
        assert.deepEqual(statuses["not-applicable"], NOT_APPLICABLE);
    });

    it("an sshd setting that would lock the deployer out is refused on the host, and SSH still works", async () => {
        const before = await sb.sudoOk(`sshd -T -C user=${sb.info.user},host=client,addr=${sb.info.clientAddress}`);
        const r = await phase("apply 4: an sshd setting that locks the deployer out", () =>
            apply({ sshd: { allowGroups: ["hd-e2e-nobody"] } }),
        );
        assert.equal(r.ok, false);
        const failed = r.records.filter((x) => x.action === "failed");
        assert.deepEqual(
            failed.map((x) => x.key),
            ["command:remote:Command::docker-host-ssh"],
        );
        assert.match(failed[0].error ?? "", /hd-e2e-nobody/);
        assert.equal(await sb.canLogIn(), true);
        assert.equal(
            await sb.sudoOk(`sshd -T -C user=${sb.info.user},host=client,addr=${sb.info.clientAddress}`),
            before,
        );
    });

    it("a firewall that would drop SSH is refused on the host, and SSH still works", async () => {
        const before = await sb.sudoOk("nft -s list ruleset");
        const r = await phase("apply 5: a firewall without the deployer's network", () =>
            apply({ adminCidrs: ["192.0.2.0/24"] }),
        );
        assert.equal(r.ok, false);
        const failed = r.records.filter((x) => x.action === "failed");
        assert.deepEqual(
            failed.map((x) => x.key),
            ["command:remote:Command::docker-host-firewall"],
        );
        assert.equal(await sb.canLogIn(), true);
        assert.equal(await sb.sudoOk("nft -s list ruleset"), before);
    });

    it("the good configuration applies cleanly again afterwards", async () => {
        const r = await phase("apply 6: back to the good configuration", () => apply());
        assert.deepEqual(r.errors, []);
        const checks = await checkAll(sb, dep);
        assert.equal(failures(checks), "");
    });

    it("on a host weakened by hand, the audit fails exactly the weakened controls, and so does the apply", async () => {
        await sb.sudoOk(
            [
                // A daemon key, reloaded into the running daemon (CIS 2.15).
                `sed -i 's/"live-restore": true/"live-restore": false/' /etc/docker/daemon.json`,
                "systemctl reload docker",
                // A file mode (CIS 3.18).
                "chmod 0666 /etc/docker/daemon.json",
                // A loaded audit rule (CIS 1.1.6).
                "auditctl -W /etc/docker -p wa -k docker -k cis-docker-1.1.6",
                // A container started by hand, hardened in every way but its capabilities (CIS 5.4).
                `docker run -d --name hd-e2e-weak --read-only --security-opt no-new-privileges --user 101:101 --memory 64m --cpu-shares 256 --pids-limit 32 --restart on-failure:5 --health-cmd true --network ${dep.network} ${config.webImage as string} >/dev/null`,
            ].join(" && "),
        );
        const r = await phase("apply 7: the audit on a weakened host", () => apply({ auditRun: "weakened" }));
        assert.equal(r.ok, false);
        assert.equal(r.errors.length, 1);
        assert.match(
            r.errors[0],
            /ComplianceAudit "compliance": mandatory CIS controls fail on the host: 1\.1\.6, 2\.15, 3\.18, 5\.4\n/,
        );
        const report = r.outputs.complianceReport as AuditReport;
        const statuses = byStatus(report);
        assert.deepEqual(statuses.fail, ["1.1.6", "2.15", "3.18", "5.4"]);
        assert.deepEqual(statuses.waived, WAIVED);
        assert.deepEqual(statuses["not-applicable"], NOT_APPLICABLE);
        const failed = report.checks.filter((c) => c.status === "fail");
        assert.deepEqual(failed.find((c) => c.cis === "3.18")?.evidence, [
            "/etc/docker/daemon.json: 666 root:root (want 644 or stricter)",
        ]);
        assert.deepEqual(failed.find((c) => c.cis === "2.15")?.evidence, ["docker info: live restore false"]);
        assert.deepEqual(failed.find((c) => c.cis === "1.1.6")?.evidence, ["/etc/docker: no loaded rule"]);
        const weak = failed.find((c) => c.cis === "5.4")?.evidence.filter((l) => l.startsWith("hd-e2e-weak ")) ?? [];
        assert.equal(weak.length, 1);
        assert.match(weak[0], /^hd-e2e-weak \([0-9a-f]{12}\): cap-drop none, cap-add none, .* \(fails\)$/);
    });
});

async function volumeSha(sb: Sandbox, volume: string): Promise<string> {
    const mp = (await sb.sudoOk(`docker volume inspect --format '{{.Mountpoint}}' ${volume}`)).trim();
    return (await sb.sudoOk(`sha256sum ${mp}/payload.bin`)).split(" ")[0];
}

async function waitFor(fn: () => Promise<boolean>, seconds: number): Promise<void> {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
        if (await fn()) {
            return;
        }
        await new Promise((r) => setTimeout(r, 3000));
    }
}
