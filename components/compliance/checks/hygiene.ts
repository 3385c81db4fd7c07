/**
 * Host hygiene beyond the Docker files (CIS 1.2.1, "the container host has been hardened"): who
 * can log in, the modes of the host's important files, core dumps, and what a login shell starts
 * with. Each compares the live host with what HardenedHost's accounts and hygiene steps set.
 */
import { fail, notApplicable, pass, verdict, type CheckDef } from "./types";

interface Account {
    name: string;
    uid: number;
    shell: string;
    login: boolean;
    password: "locked" | "usable" | "none";
}

function parseAccounts(text: string): { uidMin: number; accounts: Account[] } {
    const lines = text.split("\n").filter((l) => l !== "");
    const uidMin = Number(/^uid_min (\d+)$/.exec(lines[0] ?? "")?.[1] ?? "1000");
    const accounts = lines.slice(1).flatMap((l) => {
        const [name, uid, shell, login, password] = l.split("|");
        return password === undefined
            ? []
            : [{ name, uid: Number(uid), shell, login: login === "login", password: password as Account["password"] }];
    });
    return { uidMin, accounts };
}

const accounts: CheckDef = {
    id: "host-accounts",
    cis: "1.2.1",
    title: "System accounts have no login shell and a locked password; no login account outside the list",
    run(ev, exp) {
        if (exp.loginUsers === undefined) {
            return notApplicable("the stack gives no HardenedHost: no list of who may log in");
        }
        const { uidMin, accounts: all } = parseAccounts(ev.section("accounts"));
        const kept = new Set(["root", ...exp.loginUsers]);
        const system = all.filter((a) => !kept.has(a.name) && (a.uid < uidMin || a.uid === 65534));
        const open = system.filter((a) => a.login || a.password === "usable" || a.password === "none");
        const unlisted = all.filter((a) => !kept.has(a.name) && a.uid >= uidMin && a.uid !== 65534 && a.login);
        const seen = `${system.length} system accounts (uid < ${uidMin}) without a login; login accounts: ${all
            .filter((a) => a.login)
            .map((a) => a.name)
            .join(", ")}; listed: root, ${exp.loginUsers.join(", ")}`;
        if (open.length === 0 && unlisted.length === 0) {
            return pass(seen);
        }
        return fail(
            ...open.map((a) => `system account ${a.name} (uid ${a.uid}): shell ${a.shell}, password ${a.password}`),
            ...unlisted.map(
                (a) => `login account ${a.name} (uid ${a.uid}, shell ${a.shell}) is not in accounts.loginUsers`,
            ),
            seen,
        );
    },
};

/** `-rw-r-----` style: is `mode` (octal text) no more open than `want`? */
function withinMode(mode: string, want: string): boolean {
    return (parseInt(mode, 8) & ~parseInt(want, 8) & 0o7777) === 0;
}

/** A table path (`*` within a name) as a regular expression over real paths. */
function globPattern(path: string): RegExp {
    return new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
}

const fileModes: CheckDef = {
    id: "host-file-modes",
    cis: "1.2.1",
    title: "The host's account, SSH, cron, boot and audit files have the hygiene step's modes and owners",
    run(ev, exp) {
        if (exp.hostFileModes.length === 0) {
            return notApplicable("the stack gives no HardenedHost: no table of host file modes");
        }
        const found = ev
            .section("host-file-modes")
            .split("\n")
            .filter((l) => l !== "")
            .map((l) => {
                const [path, mode, user, group, type] = l.split("|");
                return { path, mode, owner: `${user}:${group}`, type };
            });
        const wrong: string[] = [];
        let checked = 0;
        for (const want of exp.hostFileModes) {
            const re = globPattern(want.path);
            const matches = found.filter((f) => re.test(f.path));
            if (matches.length === 0 && want.required) {
                wrong.push(`${want.path} is missing`);
            }
            for (const f of matches) {
                checked += 1;
                const type = want.kind === "dir" ? "d" : "f";
                if (f.type !== type || !withinMode(f.mode, want.mode) || f.owner !== want.owner) {
                    wrong.push(
                        `${f.path}: ${f.type === "l" ? "a symbolic link" : `mode ${f.mode.padStart(4, "0")} ${f.owner}`} (want ${want.kind} ${want.mode} ${want.owner} or stricter)`,
                    );
                }
            }
        }
        return wrong.length === 0
            ? pass(`${checked} paths at their table mode or stricter, with their owners`)
            : fail(...wrong);
    },
};

const coreDumps: CheckDef = {
    id: "host-core-dumps",
    cis: "1.2.1",
    title: "Core dumps are off: a hard limit of 0 for every user and root, and systemd-coredump stores none",
    run(ev, exp) {
        if (exp.shell === undefined) {
            return notApplicable("the stack gives no HardenedHost: core dumps are not its to check");
        }
        const lines = ev
            .section("core-dumps")
            .split("\n")
            .filter((l) => l !== "");
        // "<file>: <domain> <type> core <value>", in the order pam_limits reads them (the last wins).
        const limit = (domain: string) => {
            let value: string | undefined;
            for (const l of lines) {
                const m = /^[^:]+: \s*(\S+)\s+(hard|-)\s+core\s+(\S+)/.exec(l);
                if (m !== null && m[1] === domain) {
                    value = m[3];
                }
            }
            return value;
        };
        // pam_limits lets a user's or a group's own line win over `*`: any core limit above 0 counts.
        const raised = lines.filter((l) => {
            const m = /^[^:]+: \s*(\S+)\s+(hard|-)\s+core\s+(\S+)/.exec(l);
            return m !== null && m[3] !== "0";
        });
        const storage = lines
            .map((l) => /^[^:]+: \s*Storage\s*=\s*(\S+)/.exec(l)?.[1])
            .filter((v) => v !== undefined)
            .pop();
        const all = limit("*");
        const root = limit("root");
        return verdict(
            all === "0" && root === "0" && raised.length === 0 && storage === "none",
            `hard core limit: * ${all ?? "(unset)"}, root ${root ?? "(unset)"}; systemd-coredump Storage=${storage ?? "(default: external)"}`,
            ...raised.map((l) => `raised: ${l}`),
        );
    },
};

const shell: CheckDef = {
    id: "host-shell-settings",
    cis: "1.2.1",
    title: "Login shells start with the hygiene step's umask and a read-only idle timeout (TMOUT)",
    run(ev, exp) {
        if (exp.shell === undefined) {
            return notApplicable("the stack gives no HardenedHost: no shell settings to compare");
        }
        const t = ev.section("shell-settings");
        const umask = /^umask (\S+)$/m.exec(t)?.[1] ?? "(unread)";
        const tmout = /^TMOUT (\S+)$/m.exec(t)?.[1] ?? "(unread)";
        const readonly = /^readonly (\d+)$/m.exec(t)?.[1] === "1";
        const defs = /^\s*UMASK\s+(\S+)/m.exec(t)?.[1] ?? "(unset)";
        const want = exp.shell;
        const sameMask = (v: string) => /^[0-7]{3,4}$/.test(v) && parseInt(v, 8) === parseInt(want.umask, 8);
        return verdict(
            sameMask(umask) && tmout === String(want.idleTimeoutSeconds) && readonly && sameMask(defs),
            `login shell: umask ${umask}, TMOUT ${tmout}${readonly ? " (read-only)" : " (not read-only)"}; login.defs UMASK ${defs}` +
                ` (want umask ${want.umask}, TMOUT ${want.idleTimeoutSeconds})`,
        );
    },
};

export const HYGIENE_CHECKS: readonly CheckDef[] = Object.freeze([accounts, fileModes, coreDumps, shell]);
