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
        // LABEL=, UUID= and PARTUUID= as findmnt --evaluate resolves them.
        const evaluated = (ev.raw["fstab-evaluated"]?.out ?? "")
            .split("\n")
            .filter((l) => l.trim() !== "")
            .map(mountLine)
            .find((m) => m.target === data.target);
        const sameDevice =
            fstab.source === data.source ||
            (data.uuid !== "" && fstab.source === `UUID=${data.uuid}`) ||
            evaluated?.source === data.source;
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

/** A loaded audit rule that watches a path: `-w <path> -p <perms>`, or a syscall rule with `-F path=`/`-F dir=` and `-F perm=`. */
interface Watch {
    line: string;
    /** The path as the rule names it, and where it really is. */
    path: string;
    real: string;
    /** `dir=` and `-w` on a directory watch everything beneath it. */
    tree: boolean;
    perms: string;
}

/** A rule that keeps events from being recorded: `-a never,task`, or `-a never,exit` on a path. */
interface Suppression {
    line: string;
    /** Undefined: every path. */
    real?: string;
}

function parseRules(rules: string, realOf: Map<string, string>): { watches: Watch[]; suppressions: Suppression[] } {
    const watches: Watch[] = [];
    const suppressions: Suppression[] = [];
    const real = (p: string) => realOf.get(p) ?? p;
    for (const raw of rules.split("\n")) {
        const line = raw.trim();
        const w = /^-w (\S+) -p ([rwxa]+)/.exec(line);
        if (w !== null) {
            watches.push({ line, path: w[1], real: real(w[1]), tree: true, perms: w[2] });
            continue;
        }
        const action = /^-a (\w+),(\w+)/.exec(line);
        if (action === null) {
            continue;
        }
        const [, kind, list] = action;
        const [a, b] = kind === "never" || kind === "always" ? [kind, list] : [list, kind];
        const target = /-F (path|dir)=(\S+)/.exec(line);
        if (a === "never") {
            if (b === "task") {
                suppressions.push({ line });
            } else if (b === "exit" && target !== null) {
                suppressions.push({ line, real: real(target[2]) });
            } else if (b === "exit" && /-S all\b/.test(line) && !/-F /.test(line)) {
                suppressions.push({ line });
            }
            continue;
        }
        const perm = /-F perm=([rwxa]+)/.exec(line);
        if (a === "always" && b === "exit" && target !== null && perm !== null) {
            watches.push({ line, path: target[2], real: real(target[2]), tree: target[1] === "dir", perms: perm[1] });
        }
    }
    return { watches, suppressions };
}

const under = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith("/") ? dir : `${dir}/`);

/**
 * CIS 1.1.3 to 1.1.18: each path of the control that exists is watched for writes and attribute
 * changes by a loaded rule, and no loaded `never` rule keeps its events out. A path that does not
 * exist yet but whose directory does must be watched too when HardenedHost's audit step wrote that
 * rule (it sees the file when it appears).
 */
function auditCheck(cis: string, slug: string, what: string): CheckDef {
    return {
        id: `auditd-watches-${slug}`,
        cis,
        title: `auditd's loaded rules watch ${what} for writes and attribute changes`,
        run(ev, exp) {
            const enabled = /^enabled ([0-9]+)/m.exec(ev.section("audit-status"))?.[1];
            const paths = ev
                .section("audit-paths")
                .split("\n")
                .map((l) => l.split(" "))
                .filter((f) => f[0] === cis);
            // Each real path once: the unit file's /lib and /usr/lib names are one file on a merged /usr.
            const present = paths
                .filter((f) => f[2] === "exists" || (f[2] === "parent" && exp.hardenedHost))
                .filter((f, i, all) => all.findIndex((g) => g[3] === f[3]) === i);
            if (present.length === 0) {
                return notApplicable(
                    `none of ${paths.map((f) => f[1]).join(", ")} exists on this host` +
                        (exp.hardenedHost ? ", nor its directory" : ""),
                );
            }
            if (enabled !== "1" && enabled !== "2") {
                return fail(`auditing is off in the kernel (auditctl -s: enabled ${enabled ?? "unknown"})`);
            }
            const { watches, suppressions } = parseRules(ev.section("audit-rules"), ev.auditRulePaths());
            const evidence: string[] = [];
            let ok = true;
            for (const [, path, state, real] of present) {
                const where = real === path ? path : `${path} (at ${real})`;
                const note = state === "parent" ? ", not created yet" : "";
                // Its own rule first; else a directory's rule, which auditd applies to all beneath it.
                const wa = watches.filter((w) => w.perms.includes("w") && w.perms.includes("a"));
                const rule = wa.find((w) => w.real === real) ?? wa.find((w) => w.tree && under(real, w.real));
                const silenced = suppressions.find((x) => x.real === undefined || under(real, x.real));
                if (rule === undefined) {
                    ok = false;
                    evidence.push(`${where}${note}: no loaded rule`);
                } else if (silenced !== undefined) {
                    ok = false;
                    evidence.push(`${where}${note}: ${rule.line}, but ${silenced.line} keeps its events out`);
                } else {
                    const through = rule.real === real ? "" : ` (through ${rule.real})`;
                    evidence.push(`${where}${note}${through}: ${rule.line}`);
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
        // For the deployment user on loopback, and for root from an outside address: a Match block
        // that relaxes either is seen.
        const probes: [section: string, who: string][] = [
            ["sshd-settings", "sshd -T"],
            ["sshd-settings-outside", "sshd -T for root from 192.0.2.1"],
        ];
        const evidence: string[] = [];
        let ok = true;
        for (const [section, who] of probes) {
            const t = ev.section(section);
            const seen: string[] = [];
            for (const [k, v] of SSHD_REQUIRED) {
                const got = new RegExp(`^${k} (.*)$`, "m").exec(t)?.[1] ?? "(absent)";
                ok &&= got === v;
                seen.push(`${k} ${got}${got === v ? "" : ` (want ${v})`}`);
            }
            evidence.push(`${who}: ${seen.join(", ")}`);
        }
        return verdict(ok, ...evidence);
    },
};

const firewall: CheckDef = {
    id: "firewall-loaded",
    cis: "1.2.1",
    title: "HardenedHost's nftables table is loaded with an input policy of drop, and loaded at boot",
    run(ev, exp) {
        if (!exp.hardenedHost) {
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
        // A key this kernel does not have is skipped by the kernel step too (Yama, BPF on some builds).
        const absent = keys.filter((k) => live.get(k) === "<absent>");
        const wrong = keys.filter(
            (k) => !absent.includes(k) && live.get(k) !== exp.sysctl[k].trim().split(/\s+/).join(" "),
        );
        const note = absent.length === 0 ? [] : [`this kernel has no ${absent.join(", ")}: not applicable`];
        if (wrong.length === 0) {
            const set = keys.filter((k) => !absent.includes(k));
            return pass(
                `${set.length} settings as the kernel step sets them: ${set.map((k) => `${k} = ${live.get(k)}`).join(", ")}`,
                ...note,
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
