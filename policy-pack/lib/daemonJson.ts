/**
 * Finds the /etc/docker/daemon.json that a command resource writes to its host, from the text the
 * engine sends (`create`, `update`, `stdin`), so that the daemon policies check what actually
 * reaches dockerd: DockerDaemon's rendered file, whatever its `config.extra` added, and any file a
 * user writes with commands of their own.
 *
 * Two kinds of writer are read:
 * - hardened-docker's daemon-config step (its script starts with the step's prelude): the
 *   here-document that embeds `daemon.json`, provided the step installs that file at the path;
 * - generic shell: a here-document, here-string, `echo` or `printf` into the path by `>`, `tee`
 *   or `sponge`, directly or through `sudo`, `sh -c`, `bash <<EOF`, `ssh`, `eval`, pipelines and
 *   simple variables (`f=/etc/docker/daemon.json; cat > "$f"`, `cd /etc/docker`), positional
 *   parameters (`sh -c 'cat > "$1"' _ PATH`, a function's arguments), the command's `environment`
 *   and (local) `dir`.
 *
 * Conservative: any other write to the path (a copy or move over it, `sed -i`, `jq ... >`, `>>`,
 * an unquoted here-document that expands `$`, an interpreter's program that names it, a command
 * the pack does not know that is given it, a path that may be it) is "unreadable", and so is text
 * that is not a JSON object. Reading it (`cat`, `jq . file`, `cp` from it) is not a write.
 *
 * A variable nothing sets comes from the host's environment: as a file written to, it may be the
 * path ("unreadable"). A variable changed where the pack cannot see (`read`, `printf -v`, `unset`,
 * `eval`, `.`) is no longer its literal value.
 *
 * Not followed: paths built from values the script computes at run time (`"$DIR/daemon.json"`
 * with DIR from `$(...)`), a file the script runs (`bash ./setup.sh`, `curl ... | bash`),
 * archives unpacked over /etc, and programs run inside containers. `delete` is not read: the
 * engine runs the stored `delete` when the resource goes, and a cleanup that removes the file is
 * common and harmless there.
 */
import { normalize } from "./shellValues";
import { arraysOf, findWrites, short, SHELLS, type Found, type Source } from "./shellWrites";

/** The file dockerd reads its configuration from. */
export const DAEMON_JSON = "/etc/docker/daemon.json";

/** A field whose value is unknown during preview. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");

export type ScriptValue = string | typeof UNKNOWN | undefined;

/** The fields of a `command:remote:Command` or `command:local:Command` that are read. */
export interface CommandScripts {
    create?: ScriptValue;
    update?: ScriptValue;
    stdin?: ScriptValue;
    /** command:local:Command only: the program that runs `create` and `update` (default `/bin/sh -c`). */
    interpreter?: readonly string[] | typeof UNKNOWN;
    /**
     * The variables the command sets in its scripts' environment (a value UNKNOWN when unknown
     * during preview). A variable a script uses but nothing sets comes from the host's environment,
     * and may name the file: unless the whole map is UNKNOWN.
     */
    environment?: Readonly<Record<string, string | typeof UNKNOWN>> | typeof UNKNOWN;
    /** command:local:Command only: the directory the scripts start in. */
    dir?: ScriptValue;
}

/** The command fields daemon.json content can come from. */
export type ScriptField = "create" | "update" | "stdin";

/** The content of one daemon.json that a command writes. */
export type DaemonJsonContent =
    { kind: "parsed"; parsed: Record<string, unknown> } | { kind: "unreadable"; reason: string };

/** One daemon.json a command writes. A command that writes none gives no write at all. */
export interface DaemonJsonWrite {
    /** The fields the content comes from (or that remove the file), in the order create, update, stdin. */
    fields: ScriptField[];
    /** The command removes the file: dockerd then runs on its defaults, as with `{}`. */
    removed: boolean;
    content: DaemonJsonContent;
}

/** The prelude of hardened-docker's daemon-config step (components/host/shell.ts prelude()). */
const DAEMON_STEP = /^#!\/bin\/bash\n# hardened-docker step: daemon-config\./;
/** Where the step stages the file before it validates and installs it. */
const STAGED = ["$HD_TMP/daemon.json", "$HD_TMP/daemon.json.nl"];
/** embedFile()'s line that drops the newline a here-document adds to content without one. */
const STAGED_NL_COPY = `printf '%s' "$(cat "$HD_TMP/daemon.json.nl")" >"$HD_TMP/daemon.json"`;

function parseContent(text: string): DaemonJsonContent {
    // dockerd skips a UTF-8 byte order mark, and reads an empty file as no settings.
    const t = text.replace(/^\uFEFF/, "").trim();
    if (t === "") {
        return { kind: "parsed", parsed: {} };
    }
    let value: unknown;
    try {
        value = JSON.parse(t);
    } catch {
        return { kind: "unreadable", reason: "its content is not valid JSON" };
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return { kind: "unreadable", reason: "its content is JSON, but not an object" };
    }
    return { kind: "parsed", parsed: value as Record<string, unknown> };
}

interface FieldWrite {
    field: ScriptField;
    removed: boolean;
    content: DaemonJsonContent;
}

/** The step's install lists pair its staged daemon.json with the path: "ok", "absent" or why not. */
function stepInstalls(script: string): "ok" | "absent" | string {
    const arrays = arraysOf(script);
    if (arrays === undefined) {
        return "the pack cannot parse its daemon-config step";
    }
    const one = (name: string) => {
        const a = arrays.get(name) ?? [];
        return a.length === 1 && a[0].every((v) => v !== undefined) ? (a[0] as string[]) : undefined;
    };
    const srcs = one("daemon_srcs");
    const dests = one("daemon_dests");
    const absent = arrays.get("daemon_absent") ?? [];
    if (srcs === undefined || dests === undefined) {
        return "its daemon-config step does not list the files it installs";
    }
    const d = dests.map((p) => (p.startsWith("/") ? normalize(p) : p));
    if (absent.some((a) => a.some((p) => p === undefined || normalize(p) === DAEMON_JSON))) {
        return "its daemon-config step may remove it";
    }
    if (!d.includes(DAEMON_JSON)) {
        return "absent";
    }
    const i = d.indexOf(DAEMON_JSON);
    if (
        d.lastIndexOf(DAEMON_JSON) !== i ||
        srcs.indexOf("daemon.json") !== i ||
        srcs.lastIndexOf("daemon.json") !== i
    ) {
        return "its daemon-config step installs another file than its embedded daemon.json there";
    }
    return "ok";
}

function toWrites(found: Found[], field: ScriptField): FieldWrite[] {
    const lastContent = Math.max(-1, ...found.filter((f) => f.kind !== "removal").map((f) => f.offset));
    const out: FieldWrite[] = [];
    for (const f of found) {
        if (f.kind === "removal") {
            if (f.offset > lastContent) {
                out.push({ field, removed: true, content: { kind: "parsed", parsed: {} } });
            }
        } else if (f.kind === "maybe") {
            out.push({
                field,
                removed: false,
                content: { kind: "unreadable", reason: `it writes to ${short(f.raw)}, which may be ${DAEMON_JSON}` },
            });
        } else if ("unreadable" in f.source) {
            out.push({ field, removed: false, content: { kind: "unreadable", reason: f.source.unreadable } });
        } else if ("text" in f.source) {
            out.push({ field: f.source.from as ScriptField, removed: false, content: parseContent(f.source.text) });
        }
    }
    return out;
}

function readField(field: ScriptField, text: string, cmd: CommandScripts): FieldWrite[] {
    let stdin: Source;
    if (field === "stdin") {
        stdin = { unreadable: "it reads its content from the rest of its own script" };
    } else if (cmd.stdin === UNKNOWN) {
        stdin = { unknown: true };
    } else if (typeof cmd.stdin === "string") {
        stdin = { text: cmd.stdin, from: "stdin", prop: true };
    } else {
        stdin = { unreadable: "it reads its content from standard input, and the command gives none" };
    }
    if (field !== "stdin" && cmd.interpreter !== undefined) {
        if (cmd.interpreter === UNKNOWN) {
            return [];
        }
        const program = cmd.interpreter[0]?.slice(cmd.interpreter[0].lastIndexOf("/") + 1);
        if (program !== undefined && !SHELLS.has(program)) {
            return text.includes("daemon.json")
                ? [
                      {
                          field,
                          removed: false,
                          content: {
                              kind: "unreadable",
                              reason: `its interpreter ${program} runs a program that names it`,
                          },
                      },
                  ]
                : [];
        }
    }
    const step = DAEMON_STEP.test(text);
    const env =
        cmd.environment === UNKNOWN
            ? undefined
            : Object.fromEntries(
                  Object.entries(cmd.environment ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : undefined]),
              );
    // When stdin is a script, a shell started by create reads it: with create's environment.
    const where = { env, cwd: typeof cmd.dir === "string" ? cmd.dir : undefined };
    // In the step, its own loops over its list of files (backup, restore, install) are not writes.
    const writes = toWrites(
        findWrites(text, { path: DAEMON_JSON, stdin, from: field, ignoreMaybe: step, ...where }),
        field,
    );
    if (!step) {
        return writes;
    }
    const installs = stepInstalls(text);
    if (installs === "absent") {
        return writes;
    }
    if (installs !== "ok") {
        return [...writes, { field, removed: false, content: { kind: "unreadable", reason: installs } }];
    }
    const staged = findWrites(text, {
        path: DAEMON_JSON,
        shapes: STAGED,
        stdin,
        from: field,
        ignoreMaybe: true,
        skipLines: [STAGED_NL_COPY],
        ...where,
    });
    const embedded = toWrites(staged, field);
    if (embedded.length === 0) {
        return [
            ...writes,
            {
                field,
                removed: false,
                content: { kind: "unreadable", reason: "its daemon-config step embeds no daemon.json" },
            },
        ];
    }
    return [...writes, ...embedded];
}

const FIELDS: ScriptField[] = ["create", "update", "stdin"];
/** The pack's policies read the same command one after another: each parses it once. Do not mutate. */
const cache = new Map<string, DaemonJsonWrite[]>();

/**
 * The daemon.json files a command writes, each with the fields it comes from; none when the
 * command does not write the file. Identical writes from several fields are one write.
 */
export function findDaemonJson(cmd: CommandScripts): DaemonJsonWrite[] {
    const shown = (v: unknown) => (v === UNKNOWN ? { unknown: true } : (v ?? null));
    const env =
        cmd.environment === UNKNOWN || cmd.environment === undefined
            ? shown(cmd.environment)
            : Object.entries(cmd.environment).map(([k, v]) => [k, shown(v)]);
    const key = JSON.stringify([...FIELDS.map((f) => shown(cmd[f])), shown(cmd.interpreter), env, shown(cmd.dir)]);
    const hit = cache.get(key);
    if (hit !== undefined) {
        return hit;
    }
    const all: FieldWrite[] = [];
    for (const field of FIELDS) {
        const text = cmd[field];
        if (typeof text === "string") {
            all.push(...readField(field, text, cmd));
        }
    }
    const grouped = new Map<string, DaemonJsonWrite>();
    for (const w of all) {
        const k = JSON.stringify([w.removed, w.content]);
        const g = grouped.get(k);
        if (g === undefined) {
            grouped.set(k, { fields: [w.field], removed: w.removed, content: w.content });
        } else if (!g.fields.includes(w.field)) {
            g.fields.push(w.field);
            g.fields.sort((a, b) => FIELDS.indexOf(a) - FIELDS.indexOf(b));
        }
    }
    const result = [...grouped.values()];
    if (cache.size >= 16) {
        cache.delete(cache.keys().next().value!);
    }
    cache.set(key, result);
    return result;
}
