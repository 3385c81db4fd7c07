import type { Evidence, FileFacts } from "../evidence";
import { fail, notApplicable, pass, type CheckDef, type Finding } from "./types";

/**
 * Which files a pair of section-3 controls covers, and what they must be. A file that is not on the
 * host makes its controls not applicable (the installation does not use it), except a TLS file that
 * the daemon names: that fails.
 */
interface FileRule {
    /** The ownership control's id; the mode control is the next one. */
    owner: string;
    /** The files' part of the checks' ids. */
    slug: string;
    mode: string;
    what: string;
    select(ev: Evidence): FileFacts[];
    /** What the ownership control covers, when more than `select`. */
    selectOwned?(ev: Evidence): FileFacts[];
    user: string;
    group: string;
    /** The loosest mode allowed (a file may be stricter), or the exact mode when `exact`. */
    maxMode: number;
    exact?: boolean;
}

const byKind = (kind: string) => (ev: Evidence) => ev.files().filter((f) => f.kind === kind && f.mode !== undefined);
const byPath = (path: string) => (ev: Evidence) =>
    ev.files().filter((f) => f.kind === "file" && f.path === path && f.mode !== undefined);

const RULES: FileRule[] = [
    {
        owner: "3.1",
        slug: "docker-service",
        mode: "3.2",
        what: "the docker.service unit file",
        select: byKind("unit:docker.service"),
        user: "root",
        group: "root",
        maxMode: 0o644,
    },
    {
        owner: "3.3",
        slug: "docker-socket",
        mode: "3.4",
        what: "the docker.socket unit file",
        select: byKind("unit:docker.socket"),
        user: "root",
        group: "root",
        maxMode: 0o644,
    },
    {
        owner: "3.5",
        slug: "etc-docker",
        mode: "3.6",
        what: "/etc/docker",
        select: byPath("/etc/docker"),
        user: "root",
        group: "root",
        maxMode: 0o755,
    },
    {
        owner: "3.7",
        slug: "registry-certificates",
        mode: "3.8",
        what: "the registry certificates under /etc/docker/certs.d",
        // The modes apply to the certificate files (directories need their x bit); ownership to
        // the directories too: whoever owns a registry's directory can replace its certificates.
        select: (ev) => ev.files().filter((f) => f.kind === "certs.d" && f.type === "f"),
        selectOwned: (ev) => ev.files().filter((f) => f.kind === "certs.d" && f.mode !== undefined),
        user: "root",
        group: "root",
        maxMode: 0o444,
    },
    {
        owner: "3.9",
        slug: "tls-ca-certificate",
        mode: "3.10",
        what: "the TLS CA certificate",
        select: byKind("tlscacert"),
        user: "root",
        group: "root",
        maxMode: 0o444,
    },
    {
        owner: "3.11",
        slug: "tls-certificate",
        mode: "3.12",
        what: "the daemon's TLS certificate",
        select: byKind("tlscert"),
        user: "root",
        group: "root",
        maxMode: 0o444,
    },
    {
        owner: "3.13",
        slug: "tls-key",
        mode: "3.14",
        what: "the daemon's TLS key",
        select: byKind("tlskey"),
        user: "root",
        group: "root",
        maxMode: 0o400,
        exact: true,
    },
    {
        owner: "3.15",
        slug: "docker-sock",
        mode: "3.16",
        what: "the Docker socket",
        select: byPath("/var/run/docker.sock"),
        user: "root",
        group: "docker",
        maxMode: 0o660,
    },
    {
        owner: "3.17",
        slug: "daemon-json",
        mode: "3.18",
        what: "/etc/docker/daemon.json",
        select: byPath("/etc/docker/daemon.json"),
        user: "root",
        group: "root",
        maxMode: 0o644,
    },
    {
        owner: "3.19",
        slug: "etc-default-docker",
        mode: "3.20",
        what: "/etc/default/docker",
        select: byPath("/etc/default/docker"),
        user: "root",
        group: "root",
        maxMode: 0o644,
    },
    {
        owner: "3.21",
        slug: "etc-sysconfig-docker",
        mode: "3.22",
        what: "/etc/sysconfig/docker",
        select: byPath("/etc/sysconfig/docker"),
        user: "root",
        group: "root",
        maxMode: 0o644,
    },
    {
        owner: "3.23",
        slug: "containerd-sock",
        mode: "3.24",
        what: "containerd.sock",
        select: byPath("/run/containerd/containerd.sock"),
        user: "root",
        group: "root",
        maxMode: 0o660,
    },
];

/** A title starts with a capital, unless it starts with a file name. */
function capitalise(s: string): string {
    return s.replace(/^the /, "The ");
}

function octal(n: number): string {
    return n.toString(8).padStart(3, "0");
}

function absentTls(ev: Evidence, kind: string): string[] {
    return ev
        .files()
        .filter((f) => f.kind === kind && f.mode === undefined)
        .map((f) => `${f.path}: named by the daemon, but absent`);
}

function check(rule: FileRule, part: "owner" | "mode"): CheckDef {
    const want =
        part === "owner"
            ? `${rule.user}:${rule.group}`
            : rule.exact === true
              ? `exactly ${octal(rule.maxMode)}`
              : `${octal(rule.maxMode)} or stricter`;
    return {
        id: `file-${part}-${rule.slug}`,
        cis: part === "owner" ? rule.owner : rule.mode,
        title: capitalise(`${rule.what}: ${part === "owner" ? "owned by" : "mode"} ${want}`),
        run(ev): Finding {
            const files = part === "owner" && rule.selectOwned !== undefined ? rule.selectOwned(ev) : rule.select(ev);
            const missing = absentTls(ev, kindOf(rule));
            if (files.length === 0) {
                return missing.length > 0 ? fail(...missing) : notApplicable(`${rule.what}: not present on this host`);
            }
            const bad: string[] = [];
            const seen = files.map((f) => {
                const mode = parseInt(f.mode!, 8);
                const ok =
                    part === "owner"
                        ? f.owner === rule.user && f.group === rule.group
                        : rule.exact === true
                          ? mode === rule.maxMode
                          : (mode & ~rule.maxMode & 0o7777) === 0;
                const line = `${f.path}: ${octal(mode)} ${f.owner}:${f.group}`;
                if (!ok) {
                    bad.push(line);
                }
                return line;
            });
            if (missing.length > 0 || bad.length > 0) {
                return fail(...bad.map((l) => `${l} (want ${want})`), ...missing);
            }
            return pass(...seen);
        },
    };
}

/** The TLS kinds, whose file named by the daemon but absent is a failure rather than not applicable. */
function kindOf(rule: FileRule): string {
    return ({ "3.9": "tlscacert", "3.11": "tlscert", "3.13": "tlskey" } as Record<string, string>)[rule.owner] ?? "";
}

export const FILE_CHECKS: readonly CheckDef[] = Object.freeze(
    RULES.flatMap((r) => [check(r, "owner"), check(r, "mode")]),
);
