/**
 * The recorded evidence: what the collector read on the sandbox VM (test/e2e/recordAudit.ts), and
 * helpers to turn it back into the collector's output or to change one section of it. The host
 * hygiene sections (accounts, host-file-modes, core-dumps, shell-settings, apparmor-profiles) were
 * recorded later, when the collector gained them, on a sandbox the end-to-end run had hardened with
 * the accounts and hygiene steps and the API's own AppArmor profile; they are the same in both
 * fixtures (the weakened controls are elsewhere).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { COLLECTOR_FORMAT, type AuditExpectations, type RawEvidence } from "../../../components/compliance";
import { HYGIENE_FILE_MODES } from "../../../components/host/hygiene";

/**
 * What the example stack expects of the sandbox it was recorded on (a HardenedHost whose deployment
 * user is admin, the accounts and hygiene steps' defaults, no log forwarding, no container waivers),
 * without kernel settings: each test names the ones it compares.
 */
export const SANDBOX_EXPECTATIONS: Readonly<AuditExpectations> = Object.freeze({
    dataRoot: "/var/lib/docker",
    dockerGroupMembers: ["admin"],
    sysctl: {},
    hardenedHost: true,
    remoteLogging: false,
    containerWaivers: {},
    containerSeccomp: {},
    containerAppArmor: {},
    loginUsers: ["admin"],
    hostFileModes: HYGIENE_FILE_MODES,
    shell: { umask: "0027", idleTimeoutSeconds: 900 },
});

/** A recorded fixture by name: `hardened` (after the first apply), `weakened` (four controls broken by hand). */
export function recorded(name: string): RawEvidence {
    return JSON.parse(readFileSync(path.join(__dirname, "fixtures", `${name}.json`), "utf8")) as RawEvidence;
}

/** The collector's stdout for some evidence, as `remote.Command` returns it. */
export function encode(raw: RawEvidence): string {
    const lines = Object.entries(raw).map(
        ([name, s]) => `${name} ${s.rc} ${Buffer.from(s.out, "utf8").toString("base64")}\n`,
    );
    return COLLECTOR_FORMAT + gzipSync(lines.join("")).toString("base64");
}

/** A copy of the evidence with some sections replaced. */
export function withSections(raw: RawEvidence, sections: RawEvidence): RawEvidence {
    return { ...structuredClone(raw), ...structuredClone(sections) };
}

/** A copy with one section's output rewritten. */
export function editSection(raw: RawEvidence, name: string, edit: (out: string) => string, rc?: number): RawEvidence {
    const copy = structuredClone(raw);
    if (copy[name] === undefined) {
        throw new Error(`the fixture has no section ${name}`);
    }
    copy[name] = { rc: rc ?? copy[name].rc, out: edit(copy[name].out) };
    return copy;
}

/** The ids of the running containers in a fixture, in `docker ps` order. */
export function containerIds(raw: RawEvidence): string[] {
    return raw.containers.out.split("\n").filter((l) => /^[0-9a-f]{64}$/.test(l));
}

/** The id of the recorded container whose name starts with `prefix` (`web-`, `api-`). */
export function containerId(raw: RawEvidence, prefix: string): string {
    const found = containerIds(raw).filter((id) =>
        (JSON.parse(raw[`inspect:${id}`].out) as { Name: string }).Name.startsWith(`/${prefix}`),
    );
    if (found.length !== 1) {
        throw new Error(`the fixture has ${found.length} containers named ${prefix}*`);
    }
    return found[0];
}
