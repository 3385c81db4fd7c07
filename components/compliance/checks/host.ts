import { FIREWALL_TABLE } from "../../host/firewall/render";
import { fail, notApplicable, pass, verdict, type CheckDef } from "./types";

/** findmnt -r escapes spaces and other bytes as \xHH. */
function unescapeFindmnt(s: string): string {
    return s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function mountLine(line: string): { target: string; source: string; fstype: string; uuid: string } {
    const [target = "", source = "", fstype = "", uuid = ""] = line.trim().split(" ").map(unescapeFindmnt);
    return { target, source, fstype, uuid };
}

const dataRootMount: CheckDef = {
    id: "data-root-own-filesystem",
    cis: "1.1.1",
    title: "Docker's data root is its own filesystem, not the root filesystem's, and mounted at boot",
    run(ev, exp) {
        const data = mountLine(ev.section("mount-data").split("\n")[0]);
        const root = mountLine(ev.section("mount-root").split("\n")[0]);
        const seen = `${exp.dataRoot} is on ${data.source} (${data.fstype}) mounted at ${data.target}; / is on ${root.source}`;
        if (data.target === "/" || data.source === root.source) {
            return fail(seen);
        }
        const fstab = ev
            .section("fstab", [0, 1])
            .split("\n")
            .filter((l) => l.trim() !== "")
            .map(mountLine)
            .find((m) => m.target === data.target);
        if (fstab === undefined) {
            return fail(seen, `/etc/fstab has no entry for ${data.target}: it would not be mounted after a reboot`);
        }
        const sameDevice = fstab.source === data.source || (data.uuid !== "" && fstab.source === `UUID=${data.uuid}`);
        return verdict(sameDevice, seen, `/etc/fstab: ${fstab.target} from ${fstab.source} (${fstab.fstype})`);
    },
};

const dockerGroup: CheckDef = {
    id: "docker-group-trusted-users",
    cis: "1.1.2",
    title: "Only the trusted users are members of the docker group",
    run(ev, exp) {
        const s = ev.raw["docker-group"];
        if (s !== undefined && s.rc === 2) {
            return pass("there is no docker group: only root reaches the socket");
        }
        const line = ev.section("docker-group").trim();
        const members = (line.split(":")[3] ?? "").split(",").filter((m) => m !== "");
        const untrusted = members.filter((m) => !exp.dockerGroupMembers.includes(m));
        const seen = `docker group members: ${members.join(", ") || "(none)"}; trusted: ${exp.dockerGroupMembers.join(", ") || "(none)"}`;
        return untrusted.length === 0 ? pass(seen) : fail(`not trusted: ${untrusted.join(", ")}`, seen);
    },
};

/** `auditctl -l` lines that watch a path: `-w <path> -p <perms> ...`. */
function watches(rules: string): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const line of rules.split("\n")) {
        const m = /^-w (\S+) -p ([rwxa]+)/.exec(line.trim());
        if (m !== null) {
            out.set(m[1], [...(out.get(m[1]) ?? []), line.trim()]);
        }
    }
    return out;
}

/** CIS 1.1.3 to 1.1.18: each path of the control that exists (or whose directory does) is watched, the rule loaded. */
function auditCheck(cis: string, slug: string, what: string): CheckDef {
    return {
        id: `auditd-watches-${slug}`,
        cis,
        title: `auditd's loaded rules watch ${what} for writes and attribute changes`,
        run(ev) {
            const enabled = /^enabled ([0-9]+)/m.exec(ev.section("audit-status"))?.[1];
            const paths = ev
                .section("audit-paths")
                .split("\n")
                .map((l) => l.split(" "))
                .filter((f) => f[0] === cis);
            // Each real path once: the unit file's /lib and /usr/lib names are one file on a merged /usr.
            const present = paths
                .filter((f) => f[2] !== "absent")
                .filter((f, i, all) => all.findIndex((g) => g[3] === f[3]) === i);
            if (present.length === 0) {
                return notApplicable(
                    `none of ${paths.map((f) => f[1]).join(", ")} nor its directory exists on this host`,
                );
            }
            if (enabled !== "1" && enabled !== "2") {
                return fail(`auditing is off in the kernel (auditctl -s: enabled ${enabled ?? "unknown"})`);
            }
            const loaded = watches(ev.section("audit-rules"));
            const evidence: string[] = [];
            let ok = true;
            for (const [, path, state, real] of present) {
                const rules = (loaded.get(real) ?? []).filter((r) => {
                    const perms = /-p ([rwxa]+)/.exec(r)?.[1] ?? "";
                    return perms.includes("w") && perms.includes("a");
                });
                const where = real === path ? path : `${path} (at ${real})`;
                const note = state === "parent" ? ", not created yet" : "";
                if (rules.length === 0) {
                    ok = false;
                    evidence.push(`${where}${note}: no loaded rule`);
                } else {
                    evidence.push(`${where}${note}: ${rules[0]}`);
                }
            }
            return verdict(ok, ...evidence);
        },
    };
}

const AUDITED: [cis: string, slug: string, what: string][] = [
    ["1.1.3", "dockerd", "dockerd"],
    ["1.1.4", "run-containerd", "/run/containerd"],
    ["1.1.5", "data-root", "Docker's data root"],
    ["1.1.6", "etc-docker", "/etc/docker"],
    ["1.1.7", "docker-service", "docker.service"],
    ["1.1.8", "containerd-sock", "containerd.sock"],
    ["1.1.9", "docker-socket", "docker.socket"],
    ["1.1.10", "etc-default-docker", "/etc/default/docker"],
    ["1.1.11", "daemon-json", "/etc/docker/daemon.json"],
    ["1.1.12", "containerd-config", "/etc/containerd/config.toml"],
    ["1.1.13", "etc-sysconfig-docker", "/etc/sysconfig/docker"],
    ["1.1.14", "containerd", "containerd"],
    ["1.1.15", "containerd-shim", "containerd-shim"],
    ["1.1.16", "containerd-shim-runc-v1", "containerd-shim-runc-v1"],
    ["1.1.17", "containerd-shim-runc-v2", "containerd-shim-runc-v2"],
    ["1.1.18", "runc", "runc"],
];

/** sshd's effective settings that HardenedHost never relaxes. */
const SSHD_REQUIRED: [string, string][] = [
    ["passwordauthentication", "no"],
    ["kbdinteractiveauthentication", "no"],
    ["permitrootlogin", "no"],
    ["permitemptypasswords", "no"],
    ["pubkeyauthentication", "yes"],
    ["x11forwarding", "no"],
];

const sshd: CheckDef = {
    id: "sshd-effective-settings",
    cis: "1.2.1",
    title: "sshd's effective settings allow key logins only, never root or a password",
    run(ev) {
        const t = ev.section("sshd-settings");
        const evidence: string[] = [];
        let ok = true;
        for (const [k, v] of SSHD_REQUIRED) {
            const got = new RegExp(`^${k} (.*)$`, "m").exec(t)?.[1] ?? "(absent)";
            ok &&= got === v;
            evidence.push(`${k} ${got}${got === v ? "" : ` (want ${v})`}`);
        }
        return verdict(ok, `sshd -T: ${evidence.join(", ")}`);
    },
};

const firewall: CheckDef = {
    id: "firewall-loaded",
    cis: "1.2.1",
    title: "HardenedHost's nftables table is loaded with an input policy of drop, and loaded at boot",
    run(ev, exp) {
        if (!exp.firewall) {
            return notApplicable("the stack gives no HardenedHost: the firewall is not this audit's to check");
        }
        const ruleset = ev.section("nft-ruleset");
        const start = ruleset.indexOf(`table ${FIREWALL_TABLE} {`);
        const table = start < 0 ? "" : ruleset.slice(start, ruleset.indexOf("\n}", start) + 2);
        const input = /chain input \{\s*type filter hook input priority [^;]+; policy (\w+);/.exec(table);
        const unit = (ev.raw["firewall-unit"]?.out ?? "").trim() || "(unknown)";
        const evidence = [
            start < 0
                ? `table ${FIREWALL_TABLE} is not loaded`
                : `table ${FIREWALL_TABLE}: input policy ${input?.[1] ?? "(no input chain)"}`,
            `hardened-docker-firewall.service: ${unit}`,
        ];
        return verdict(start >= 0 && input?.[1] === "drop" && unit === "enabled", ...evidence);
    },
};

const kernel: CheckDef = {
    id: "kernel-settings",
    cis: "1.2.1",
    title: "The kernel runs with the kernel step's settings",
    run(ev, exp) {
        const keys = Object.keys(exp.sysctl);
        if (keys.length === 0) {
            return notApplicable("the stack gives no HardenedHost: no kernel settings to compare");
        }
        const live = new Map<string, string>();
        for (const line of ev.section("sysctl-values", [0, 255]).split("\n")) {
            const i = line.indexOf(" = ");
            if (i > 0) {
                live.set(
                    line.slice(0, i),
                    line
                        .slice(i + 3)
                        .trim()
                        .split(/\s+/)
                        .join(" "),
                );
            }
        }
        const wrong = keys.filter((k) => live.get(k) !== exp.sysctl[k].trim().split(/\s+/).join(" "));
        if (wrong.length === 0) {
            return pass(
                `${keys.length} settings as the kernel step sets them: ${keys.map((k) => `${k} = ${live.get(k)}`).join(", ")}`,
            );
        }
        return fail(...wrong.map((k) => `${k} = ${live.get(k) ?? "(absent)"} (want ${exp.sysctl[k]})`));
    },
};

export const HOST_CHECKS: readonly CheckDef[] = Object.freeze([
    dataRootMount,
    dockerGroup,
    ...AUDITED.map(([cis, slug, what]) => auditCheck(cis, slug, what)),
    sshd,
    firewall,
    kernel,
]);
