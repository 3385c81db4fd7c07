/**
 * The end-to-end run's checks of the live sandbox, each with the host's own tools, one per control.
 * A check returns what it saw as evidence, so a failure says what the host really has.
 */
import * as http from "node:http";
import * as net from "node:net";
import { AUDIT_DEFAULTS } from "../../../components/host/audit";
import { FIREWALL_TABLE, FIREWALL_UNIT } from "../../../components/host/firewall";
import type { Sandbox } from "./sandbox";
import { HYGIENE_FILE_MODES } from "../../../components/host/hygiene";
import { connect, run } from "./ssh";

export interface Check {
    control: string;
    what: string;
    ok: boolean;
    evidence: string;
}

/** What the checks need to know about the deployment. */
export interface Deployment {
    /** Container name per service, from the stack outputs. */
    containers: { web: string; api: string };
    network: string;
    /** daemon.json as DockerDaemon rendered it (stack output). */
    daemonJson: Record<string, unknown>;
    /** Limits the example sets per service. */
    limits: { web: { memoryMb: number; pidsLimit: number }; api: { memoryMb: number; pidsLimit: number } };
    /** Whether the service's seccomp profile refuses chmod (the example's API's does; Docker's default allows it). */
    seccompDeniesChmod: { web: boolean; api: boolean };
    /** The AppArmor profile each service runs under: docker-default, or the one its component loads. */
    appArmor: { web: string; api: string };
    /** Who may log in besides root (the accounts step's list), and the login shell settings. */
    loginUsers: string[];
    shell: { umask: string; idleTimeoutSeconds: number };
    webPort: number;
    apiPort: number;
}

/** GET over the sandbox's port forward; resolves to the status and body, or undefined on no answer. */
export function httpGet(port: number, timeoutMs = 5000): Promise<{ status: number; body: string } | undefined> {
    return new Promise((resolve) => {
        const req = http.get({ host: "127.0.0.1", port, path: "/", timeout: timeoutMs }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (d: Buffer) => chunks.push(d));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        });
        req.on("timeout", () => {
            req.destroy();
            resolve(undefined);
        });
        req.on("error", () => resolve(undefined));
    });
}

/** Connects over a forward and reads whatever arrives in timeoutMs ("" for nothing). */
export function tcpBanner(port: number, timeoutMs = 5000): Promise<string> {
    return new Promise((resolve) => {
        const chunks: Buffer[] = [];
        const s = net.connect(port, "127.0.0.1");
        const done = () => {
            s.destroy();
            resolve(Buffer.concat(chunks).toString());
        };
        s.setTimeout(timeoutMs, done);
        s.on("data", (d: Buffer) => chunks.push(d));
        s.on("close", done);
        s.on("error", done);
    });
}

function check(control: string, what: string, ok: boolean, evidence: string): Check {
    return { control, what, ok, evidence: evidence.trim().slice(0, 600) };
}

/** The guest port a published service or probe listens on, and its loopback forward here. */
function forward(sb: Sandbox, guestPort: number): number {
    const p = sb.info.forwards[String(guestPort)];
    if (p === undefined) {
        throw new Error(`the sandbox forwards no host port to guest port ${guestPort}`);
    }
    return p;
}

/** sshd's effective settings, SSH logins refused and allowed (CIS 1.2.1, host hardening). */
export async function checkSsh(sb: Sandbox): Promise<Check[]> {
    const out: Check[] = [];
    const t = await sb.sudoOk(`sshd -T -C user=${sb.info.user},host=client,addr=${sb.info.clientAddress} | sort`);
    const setting = (k: string) => new RegExp(`^${k} (.*)$`, "m").exec(t)?.[1] ?? "(absent)";
    const expect: [string, string][] = [
        ["passwordauthentication", "no"],
        ["kbdinteractiveauthentication", "no"],
        ["permitrootlogin", "no"],
        ["permitemptypasswords", "no"],
        ["pubkeyauthentication", "yes"],
        ["x11forwarding", "no"],
        ["allowtcpforwarding", "no"],
        ["allowagentforwarding", "no"],
        ["permittunnel", "no"],
        ["maxauthtries", "3"],
        ["logingracetime", "30"],
    ];
    for (const [k, v] of expect) {
        out.push(check("1.2.1", `sshd -T: ${k} ${v}`, setting(k) === v, `${k} ${setting(k)}`));
    }
    out.push(
        check(
            "1.2.1",
            "sshd -T: only strong ciphers",
            setting("ciphers")
                .split(",")
                .every((c) => !/cbc|3des|arcfour/.test(c)),
            `ciphers ${setting("ciphers")}`,
        ),
    );
    const refused = async (what: string, o: Parameters<Sandbox["target"]>[0]) => {
        try {
            const c = await connect(sb.target(o), 15000);
            c.end();
            return check("1.2.1", what, false, "the login succeeded");
        } catch (e) {
            return check("1.2.1", what, true, (e as Error).message);
        }
    };
    out.push(await refused("a password login is refused", { password: sb.info.password }));
    out.push(await refused("root's key login is refused", { user: "root" }));
    out.push(check("1.2.1", "the deployment user's key login works", await sb.canLogIn(), "logged in"));
    return out;
}

/** The nftables ruleset and what answers through it (CIS 1.2.1, 2.7 ports). */
export async function checkFirewall(sb: Sandbox, dep: Deployment): Promise<Check[]> {
    const out: Check[] = [];
    const table = await sb.sudo(`nft list table ${FIREWALL_TABLE}`);
    out.push(
        check(
            "1.2.1",
            `nft: table ${FIREWALL_TABLE} is loaded with an input policy of drop`,
            table.code === 0 && /type filter hook input priority [^;]+; policy drop;/.test(table.stdout),
            table.stdout.split("\n").slice(0, 6).join(" | ") || table.stderr,
        ),
    );
    const persisted = await sb.sudo(`systemctl is-enabled ${FIREWALL_UNIT}`);
    out.push(
        check(
            "1.2.1",
            `${FIREWALL_UNIT} loads the table at boot`,
            persisted.stdout.trim() === "enabled",
            persisted.stdout,
        ),
    );
    // A listener on a port nobody admitted: it answers on loopback, but not through the firewall.
    await sb.sudo(
        "systemctl is-active --quiet hd-e2e-listener || systemd-run --quiet --unit=hd-e2e-listener /bin/sh -c 'while :; do echo hd-e2e-banner | nc -l -N 9999; done'",
    );
    await new Promise((r) => setTimeout(r, 1000));
    const local = await sb.sudo("nc -w 3 127.0.0.1 9999 </dev/null");
    out.push(
        check(
            "1.2.1",
            "the probe listener answers on the host itself",
            local.stdout.includes("hd-e2e-banner"),
            local.stdout,
        ),
    );
    const remote = await tcpBanner(forward(sb, 9999));
    out.push(
        check(
            "1.2.1",
            "the probe listener's port 9999 does not answer from outside",
            remote === "",
            JSON.stringify(remote),
        ),
    );
    const api = await tcpBanner(forward(sb, 2375), 3000);
    out.push(check("2.7", "the Docker API port 2375 does not answer", api === "", JSON.stringify(api)));
    for (const [svc, port] of [
        ["web", dep.webPort],
        ["api", dep.apiPort],
    ] as const) {
        const r = await httpGet(forward(sb, port));
        out.push(
            check(
                "1.2.1",
                `the published ${svc} port ${port} answers the client network`,
                r?.status === 200 && r.body.includes("hardened-docker stand-in"),
                r === undefined ? "no answer" : `${r.status} ${r.body}`,
            ),
        );
    }
    return out;
}

/**
 * auditd's loaded rules cover every CIS path (CIS 1.1.3 to 1.1.18): each one present on the host, or
 * whose directory is, is watched at its real path with its control's key, and every control with
 * such a path has a loaded rule.
 */
export async function checkAudit(sb: Sandbox): Promise<Check[]> {
    const out: Check[] = [];
    const rules = (await sb.sudoOk("auditctl -l")).split("\n");
    const dir = (p: string) => p.replace(/\/[^/]*$/, "");
    const base = (p: string) => p.replace(/^.*\//, "");
    // "<id> <path> <real path>" for each candidate that exists or whose directory does.
    const resolved = await sb.sudoOk(
        AUDIT_DEFAULTS.candidates
            .map(
                (c) =>
                    `if [ -e ${c.path} ]; then echo "${c.id} ${c.path} $(readlink -f ${c.path})"; ` +
                    `elif [ -d ${dir(c.path)} ]; then echo "${c.id} ${c.path} $(readlink -f ${dir(c.path)})/${base(c.path)}"; fi`,
            )
            .join("; "),
    );
    const ids = new Set<string>();
    for (const line of resolved.split("\n").filter((l) => l !== "")) {
        const [id, path, real] = line.split(" ");
        ids.add(id);
        const rule = rules.find((l) => l.startsWith(`-w ${real} `) && l.includes(`-k cis-docker-${id}`));
        out.push(check(id, `auditctl -l watches ${path} (at ${real})`, rule !== undefined, rule ?? "no loaded rule"));
    }
    for (const id of Array.from({ length: 16 }, (_, i) => `1.1.${i + 3}`)) {
        if (ids.has(id)) {
            const any = rules.some((l) => l.includes(`-k cis-docker-${id}`));
            out.push(check(id, `a loaded audit rule carries key cis-docker-${id}`, any, any ? "present" : "none"));
        }
    }
    const enabled = await sb.sudoOk("auditctl -s | sed -n 's/^enabled //p'");
    out.push(check("1.1.3", "auditing is enabled in the kernel", enabled.trim() !== "0", `enabled ${enabled.trim()}`));
    return out;
}

/** Docker's data root is the second disk's filesystem (CIS 1.1.1). */
export async function checkDataRoot(sb: Sandbox): Promise<Check[]> {
    const m = await sb.sudoOk("findmnt -n -o SOURCE,FSTYPE,TARGET --mountpoint /var/lib/docker || true");
    const src = (await sb.sudoOk(`readlink -f ${sb.info.dataDevice}`)).trim();
    const persisted = await sb.sudoOk("findmnt -n -s -o TARGET --mountpoint /var/lib/docker || true");
    return [
        check("1.1.1", `findmnt: /var/lib/docker is mounted from ${src}`, m.trim().split(/\s+/)[0] === src, m),
        check(
            "1.1.1",
            "/etc/fstab mounts it at boot",
            persisted.trim() === "/var/lib/docker",
            persisted || "no fstab entry",
        ),
    ];
}

/** The running daemon's effective settings match what DockerDaemon rendered (CIS section 2). */
export async function checkDaemon(sb: Sandbox, dep: Deployment): Promise<Check[]> {
    const out: Check[] = [];
    const onDisk = JSON.parse(await sb.sudoOk("cat /etc/docker/daemon.json")) as Record<string, unknown>;
    out.push(
        check(
            "2",
            "/etc/docker/daemon.json is what DockerDaemon rendered",
            JSON.stringify(onDisk) === JSON.stringify(dep.daemonJson),
            JSON.stringify(onDisk),
        ),
    );
    const info = JSON.parse(await sb.sudoOk("docker info --format '{{json .}}'")) as {
        LiveRestoreEnabled: boolean;
        LoggingDriver: string;
        SecurityOptions: string[];
        DockerRootDir: string;
        RegistryConfig: { InsecureRegistryCIDRs: string[]; IndexConfigs: Record<string, { Secure: boolean }> };
        Driver: string;
    };
    const want = dep.daemonJson;
    out.push(
        check(
            "2.15",
            "docker info: live restore",
            info.LiveRestoreEnabled === want["live-restore"],
            String(info.LiveRestoreEnabled),
        ),
    );
    out.push(
        check("2.13", "docker info: the log driver", info.LoggingDriver === want["log-driver"], info.LoggingDriver),
    );
    out.push(
        check(
            "5.2",
            "docker info: AppArmor",
            info.SecurityOptions.includes("name=apparmor"),
            info.SecurityOptions.join(" "),
        ),
    );
    out.push(
        check(
            "5.22",
            "docker info: seccomp",
            info.SecurityOptions.some((o) => o.startsWith("name=seccomp")),
            info.SecurityOptions.join(" "),
        ),
    );
    if (want["userns-remap"] !== undefined) {
        out.push(
            check(
                "2.9",
                "docker info: user namespaces remapped",
                info.SecurityOptions.includes("name=userns"),
                `${info.SecurityOptions.join(" ")} root ${info.DockerRootDir}`,
            ),
        );
    }
    out.push(
        check(
            "2.5",
            "docker info: no insecure registry beyond loopback",
            info.RegistryConfig.InsecureRegistryCIDRs.every((c) => c === "127.0.0.0/8") &&
                Object.entries(info.RegistryConfig.IndexConfigs).every(([, v]) => v.Secure),
            JSON.stringify(info.RegistryConfig.InsecureRegistryCIDRs),
        ),
    );
    if (want["storage-driver"] !== undefined) {
        out.push(check("2.6", "docker info: the storage driver", info.Driver === want["storage-driver"], info.Driver));
    }
    const bridge = JSON.parse(await sb.sudoOk("docker network inspect bridge --format '{{json .Options}}'")) as Record<
        string,
        string
    >;
    if (want.icc === false) {
        out.push(
            check(
                "2.2",
                "the default bridge has inter-container traffic off",
                bridge["com.docker.network.bridge.enable_icc"] === "false",
                JSON.stringify(bridge),
            ),
        );
    }
    const proxy = await sb.sudo("pgrep -c docker-proxy");
    if (want["userland-proxy"] === false) {
        out.push(
            check(
                "2.16",
                "no docker-proxy runs (userland proxy off)",
                proxy.stdout.trim() === "0",
                `docker-proxy processes: ${proxy.stdout.trim()}`,
            ),
        );
    }
    return out;
}

interface Inspect {
    Id: string;
    State: { Pid: number; Running: boolean; StartedAt: string };
    Config: { User: string };
    HostConfig: {
        ReadonlyRootfs: boolean;
        CapDrop: string[] | null;
        CapAdd: string[] | null;
        SecurityOpt: string[] | null;
        Memory: number;
        PidsLimit: number | null;
        Privileged: boolean;
    };
    NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
}

/** Each container's effective confinement, read from the kernel, and the network's isolation (CIS 5). */
export async function checkContainers(sb: Sandbox, dep: Deployment): Promise<Check[]> {
    const out: Check[] = [];
    const ips: Record<string, string> = {};
    for (const svc of ["web", "api"] as const) {
        const name = dep.containers[svc];
        const [c] = JSON.parse(await sb.sudoOk(`docker inspect ${name}`)) as Inspect[];
        const pid = c.State.Pid;
        const status = await sb.sudoOk(`cat /proc/${pid}/status`);
        const field = (k: string) => new RegExp(`^${k}:\\s*(.*)$`, "m").exec(status)?.[1] ?? "(absent)";
        out.push(
            check(
                "5.4",
                `${svc}: no capability in its effective set`,
                field("CapEff") === "0000000000000000",
                `CapEff ${field("CapEff")}`,
            ),
        );
        out.push(
            check(
                "5.4",
                `${svc}: no capability in its bounding set`,
                field("CapBnd") === "0000000000000000",
                `CapBnd ${field("CapBnd")}`,
            ),
        );
        out.push(
            check(
                "5.26",
                `${svc}: no-new-privileges`,
                field("NoNewPrivs") === "1",
                `NoNewPrivs ${field("NoNewPrivs")}`,
            ),
        );
        out.push(check("5.22", `${svc}: a seccomp filter`, field("Seccomp") === "2", `Seccomp ${field("Seccomp")}`));
        // The profile itself, by what it does: chmod of a file the service owns, in its writable /tmp.
        const chmod = await sb.sudo(
            `docker exec ${name} sh -c 'touch /tmp/hd-e2e-seccomp && chmod 600 /tmp/hd-e2e-seccomp'`,
        );
        const chmodEvidence = `exit ${chmod.code}: ${chmod.stderr.trim() || "(no error)"}`;
        out.push(
            dep.seccompDeniesChmod[svc]
                ? check(
                      "5.22",
                      `${svc}: its seccomp profile refuses chmod, which Docker's default allows`,
                      chmod.code !== 0 && chmod.stderr.trim() === "chmod: /tmp/hd-e2e-seccomp: Operation not permitted",
                      chmodEvidence,
                  )
                : check(
                      "5.22",
                      `${svc}: Docker's default seccomp profile lets chmod through`,
                      chmod.code === 0,
                      chmodEvidence,
                  ),
        );
        const profile = dep.appArmor[svc];
        const aa = (await sb.sudoOk(`cat /proc/${pid}/attr/current`)).replace(/\0/g, "").trim();
        out.push(check("5.2", `${svc}: confined by AppArmor ${profile}`, aa === `${profile} (enforce)`, aa));
        // The profile by what it does: /dev/shm is writable in every container, and only a profile
        // that does not list it refuses the write, leaving a record in the kernel's audit log.
        const probe = `/dev/shm/hd-e2e-apparmor-${svc}`;
        const shm = await sb.sudo(`docker exec ${name} touch ${probe}`);
        const shmEvidence = `exit ${shm.code}: ${shm.stderr.trim() || "(no error)"}`;
        if (profile === "docker-default") {
            out.push(check("5.2", `${svc}: docker-default lets it write ${probe}`, shm.code === 0, shmEvidence));
        } else {
            const loaded = await sb.sudoOk("cat /sys/kernel/security/apparmor/profiles");
            out.push(
                check(
                    "5.2",
                    `${svc}: its profile ${profile} is loaded in enforce mode`,
                    loaded.split("\n").includes(`${profile} (enforce)`),
                    loaded
                        .split("\n")
                        .filter((l) => l.startsWith(`${profile} `))
                        .join(", ") || "(not loaded)",
                ),
            );
            // auditd receives the kernel's AppArmor records (the kernel ring buffer has them without it).
            const denial = await sb.sudo(
                `{ cat /var/log/audit/audit.log; dmesg; } | grep 'apparmor="DENIED"' | grep 'profile="${profile}"' | grep -F 'name="${probe}"' | tail -n 1`,
            );
            out.push(
                check(
                    "5.2",
                    `${svc}: its profile ${profile} denies a write to ${probe}, and the kernel logs the denial`,
                    shm.code !== 0 &&
                        shm.stderr.trim() === `touch: ${probe}: Permission denied` &&
                        denial.stdout.includes('apparmor="DENIED"'),
                    `${shmEvidence}; log: ${denial.stdout.trim() || "(no record)"}`,
                ),
            );
        }
        const write = await sb.sudo(`docker exec ${name} touch /hd-e2e-probe`);
        out.push(
            check(
                "5.13",
                `${svc}: read-only root filesystem`,
                c.HostConfig.ReadonlyRootfs && write.code !== 0 && /Read-only file system/.test(write.stderr),
                `${c.HostConfig.ReadonlyRootfs} ${write.stderr}`,
            ),
        );
        const uid = (await sb.sudoOk(`docker exec ${name} id -u`)).trim();
        out.push(
            check(
                "4.1",
                `${svc}: runs as a non-root user`,
                uid !== "0" && c.Config.User !== "",
                `uid ${uid} (User ${c.Config.User})`,
            ),
        );
        out.push(check("5.5", `${svc}: not privileged`, !c.HostConfig.Privileged, String(c.HostConfig.Privileged)));
        // The container's cgroup, read from the host (its own AppArmor profile may refuse /sys).
        const cgroup = `/sys/fs/cgroup${(await sb.sudoOk(`cut -d: -f3 /proc/${pid}/cgroup`)).trim()}`;
        const mem = (await sb.sudoOk(`cat ${cgroup}/memory.max`)).trim();
        out.push(
            check(
                "5.11",
                `${svc}: memory limit ${dep.limits[svc].memoryMb} MiB in its cgroup`,
                mem === String(dep.limits[svc].memoryMb * 1024 * 1024),
                `memory.max ${mem}`,
            ),
        );
        const pids = (await sb.sudoOk(`cat ${cgroup}/pids.max`)).trim();
        out.push(
            check(
                "5.29",
                `${svc}: PIDs limit ${dep.limits[svc].pidsLimit} in its cgroup`,
                pids === String(dep.limits[svc].pidsLimit),
                `pids.max ${pids}`,
            ),
        );
        const nets = Object.keys(c.NetworkSettings.Networks);
        out.push(
            check(
                "5.30",
                `${svc}: only on the hardened network`,
                nets.length === 1 && nets[0] === dep.network,
                nets.join(","),
            ),
        );
        ips[svc] = c.NetworkSettings.Networks[dep.network]?.IPAddress ?? "";
    }
    // Inter-container traffic is off on the hardened network: neither reaches the other, while
    // each answers on its own address.
    for (const [from, to, port] of [
        ["web", "api", dep.apiPort],
        ["api", "web", 8080],
    ] as const) {
        const self = await sb.sudo(
            `docker exec ${dep.containers[to]} timeout 5 wget -q -O /dev/null http://${ips[to]}:${port}/`,
        );
        const cross = await sb.sudo(
            `docker exec ${dep.containers[from]} timeout 5 wget -q -O /dev/null http://${ips[to]}:${port}/`,
        );
        out.push(
            check(
                "2.2",
                `${from} cannot reach ${to} on the hardened network`,
                self.code === 0 && cross.code !== 0,
                `${to} itself: exit ${self.code}; from ${from}: exit ${cross.code} ${cross.stderr}`,
            ),
        );
    }
    return out;
}

/**
 * The host's hygiene (CIS 1.2.1): who can log in, the modes of the important files, core dumps, and
 * what a login shell starts with, each read with the host's own tools.
 */
export async function checkHygiene(sb: Sandbox, dep: Deployment): Promise<Check[]> {
    const out: Check[] = [];
    const uidMin = Number((await sb.sudoOk("awk '$1 == \"UID_MIN\" { print $2 }' /etc/login.defs")).trim() || "1000");
    const shells = new Set(
        (await sb.sudoOk("cat /etc/shells"))
            .split("\n")
            .filter((l) => l.startsWith("/") && !/(nologin|false)$/.test(l)),
    );
    const locked = new Map(
        (await sb.sudoOk("cut -d: -f1,2 /etc/shadow"))
            .split("\n")
            .filter((l) => l !== "")
            .map((l) => [l.split(":")[0], /^[!*]/.test(l.split(":")[1] ?? "")] as const),
    );
    const kept = new Set(["root", ...dep.loginUsers]);
    const open: string[] = [];
    const logins: string[] = [];
    for (const line of (await sb.sudoOk("cat /etc/passwd")).split("\n").filter((l) => l !== "")) {
        const f = line.split(":");
        const [user, uid, shell] = [f[0], Number(f[2]), f[6] || "/bin/sh"];
        if (shells.has(shell)) {
            logins.push(user);
        }
        if (!kept.has(user) && (uid < uidMin || uid === 65534) && (shells.has(shell) || locked.get(user) !== true)) {
            open.push(`${user} (shell ${shell}, password ${locked.get(user) === true ? "locked" : "usable"})`);
        }
    }
    out.push(
        check(
            "1.2.1",
            "system accounts: no login shell, password locked",
            open.length === 0,
            open.length === 0 ? "every system account is closed" : open.join(", "),
        ),
    );
    const unlisted = logins.filter((u) => !kept.has(u));
    out.push(
        check(
            "1.2.1",
            `only root and ${dep.loginUsers.join(", ")} have a login shell`,
            unlisted.length === 0,
            `login accounts: ${logins.join(", ")}`,
        ),
    );
    // The file table, as stat sees it (a glob expands on the host).
    const stat = await sb.sudoOk(
        `shopt -s nullglob; for p in ${HYGIENE_FILE_MODES.map((f) => f.path).join(" ")}; do stat -c '%n %a %U:%G %F' "$p"; done`,
    );
    const seen = stat.split("\n").filter((l) => l !== "");
    for (const path of ["/etc/passwd", "/etc/shadow", "/etc/gshadow", "/etc/ssh/sshd_config", "/etc/cron.d"]) {
        const want = HYGIENE_FILE_MODES.find((f) => f.path === path)!;
        const line = seen.find((l) => l.startsWith(`${path} `)) ?? `${path} (missing)`;
        out.push(
            check(
                "1.2.1",
                `${path}: mode ${want.mode} ${want.owner}`,
                line.startsWith(`${path} ${Number.parseInt(want.mode, 8).toString(8)} ${want.owner} `),
                line,
            ),
        );
    }
    const keys = seen.filter((l) => /^\/etc\/ssh\/ssh_host_\w+_key /.test(l));
    out.push(
        check(
            "1.2.1",
            "SSH host private keys: mode 600 root:root",
            keys.length > 0 && keys.every((l) => / 600 root:root regular file$/.test(l)),
            keys.join(", ") || "(no host keys)",
        ),
    );
    // Core dumps: the hard limit in a real login session (pam_limits), and systemd-coredump's storage.
    const core = await run(sb.target(), "ulimit -Hc");
    out.push(
        check("1.2.1", "core dumps: hard limit 0 in an SSH session", core.stdout.trim() === "0", core.stdout.trim()),
    );
    const storage = (
        await sb.sudoOk("cat /etc/systemd/coredump.conf.d/*.conf 2>/dev/null | grep -E '^Storage=' || true")
    ).trim();
    out.push(check("1.2.1", "core dumps: systemd-coredump stores none", storage === "Storage=none", storage));
    const dumpable = (await sb.sudoOk("sysctl -n fs.suid_dumpable")).trim();
    out.push(check("1.2.1", "core dumps: setuid programs never dump (fs.suid_dumpable 0)", dumpable === "0", dumpable));
    // What an interactive login shell starts with: the umask, and a read-only TMOUT.
    const login = await run(
        sb.target(),
        "bash -l -c 'umask; echo \"TMOUT=$TMOUT\"; (TMOUT=0) 2>/dev/null && echo writable || echo read-only'",
    );
    const want = `${dep.shell.umask}\nTMOUT=${dep.shell.idleTimeoutSeconds}\nread-only`;
    out.push(
        check(
            "1.2.1",
            `login shell: umask ${dep.shell.umask}, TMOUT ${dep.shell.idleTimeoutSeconds} read-only`,
            login.stdout.trim() === want,
            `${login.stdout.trim().replace(/\n/g, ", ")} ${login.stderr.trim()}`,
        ),
    );
    return out;
}

/** Every check, in order. */
export async function checkAll(sb: Sandbox, dep: Deployment): Promise<Check[]> {
    return [
        ...(await checkSsh(sb)),
        ...(await checkHygiene(sb, dep)),
        ...(await checkFirewall(sb, dep)),
        ...(await checkAudit(sb)),
        ...(await checkDataRoot(sb)),
        ...(await checkDaemon(sb, dep)),
        ...(await checkContainers(sb, dep)),
    ];
}

/** A table of the failures, for an assertion message. */
export function failures(checks: Check[]): string {
    return checks
        .filter((c) => !c.ok)
        .map((c) => `CIS ${c.control} ${c.what}: ${c.evidence}`)
        .join("\n");
}
