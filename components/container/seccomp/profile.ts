import { ArgumentError } from "../../common/errors";
import { DOCKER_DEFAULT_SECCOMP } from "./dockerDefault";
import {
    PERMISSIVE_DEFAULT_ACTIONS,
    SECCOMP_ACTIONS,
    SECCOMP_OPS,
    type SeccompAction,
    type SeccompProfile,
    type SeccompRule,
} from "./types";

/** A tighter profile than Docker's default: the default with these syscalls refused. */
export interface SeccompTighteningArgs {
    /**
     * Syscalls to refuse (with EPERM, the default profile's default action), each one that Docker's
     * default profile allows (`DOCKER_DEFAULT_SECCOMP`): `["mkdir", "mkdirat", "chmod", ...]`.
     */
    denySyscalls: string[];
}

/** Syscalls a container cannot start or end without: refusing one is never a tightening. */
export const SECCOMP_REQUIRED_SYSCALLS: readonly string[] = Object.freeze([
    "execve",
    "exit",
    "exit_group",
    "rt_sigreturn",
]);

const SYSCALL_NAME = /^[a-z_][a-z0-9_]*$/;
const ARCH = /^SCMP_ARCH_[A-Z0-9_]+$/;
const CAP = /^CAP_[A-Z_]+$/;
const KERNEL = /^[0-9]+\.[0-9]+$/;

const PROFILE_FIELDS = [
    "defaultAction",
    "defaultErrnoRet",
    "architectures",
    "archMap",
    "syscalls",
    "listenerPath",
    "listenerMetadata",
    "flags",
];
const RULE_FIELDS = ["names", "name", "action", "errnoRet", "args", "comment", "includes", "excludes"];
const ARG_FIELDS = ["index", "value", "valueTwo", "op"];
const FILTER_FIELDS = ["caps", "arches", "minKernel"];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads a profile's JSON and checks every field the way dockerd reads it; `fail` names the path. */
class ProfileReader {
    constructor(
        private readonly argument: string,
        private readonly cis: string,
    ) {}

    fail(path: string, why: string): never {
        throw new ArgumentError(path === "" ? this.argument : `${this.argument}.${path}`, why);
    }

    fields(path: string, value: unknown, allowed: string[], what: string): Record<string, unknown> {
        if (!isRecord(value)) {
            this.fail(path, `must be an object (${what})`);
        }
        for (const key of Object.keys(value)) {
            if (!allowed.includes(key)) {
                this.fail(
                    path === "" ? key : `${path}.${key}`,
                    `is not a field of ${what}; dockerd would ignore it (fields: ${allowed.join(", ")})`,
                );
            }
        }
        return value;
    }

    strings(path: string, value: unknown, pattern: RegExp, what: string, nullable = false): void {
        if (value === undefined || (nullable && value === null)) {
            return;
        }
        if (!Array.isArray(value)) {
            this.fail(path, `must be a list of ${what}`);
        }
        value.forEach((v, i) => {
            if (typeof v !== "string" || !pattern.test(v)) {
                this.fail(`${path}[${i}]`, `is not ${what}: ${JSON.stringify(v)}`);
            }
        });
    }

    action(path: string, value: unknown): SeccompAction {
        if (typeof value !== "string" || !(SECCOMP_ACTIONS as readonly string[]).includes(value)) {
            this.fail(path, `must be one of ${SECCOMP_ACTIONS.join(", ")}; got ${JSON.stringify(value)}`);
        }
        return value as SeccompAction;
    }

    integer(path: string, value: unknown, min: number, max: number): void {
        if (
            value !== undefined &&
            (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max)
        ) {
            this.fail(path, `must be an integer from ${min} to ${max}; got ${JSON.stringify(value)}`);
        }
    }

    filter(path: string, value: unknown): void {
        if (value === undefined) {
            return;
        }
        const f = this.fields(path, value, FILTER_FIELDS, "a rule's includes/excludes");
        this.strings(`${path}.caps`, f.caps, CAP, "a capability (CAP_...)", true);
        this.strings(`${path}.arches`, f.arches, /^[a-z0-9_]+$/, "an architecture (amd64, arm64, ...)", true);
        if (f.minKernel !== undefined && (typeof f.minKernel !== "string" || !KERNEL.test(f.minKernel))) {
            this.fail(`${path}.minKernel`, `must be "major.minor"; got ${JSON.stringify(f.minKernel)}`);
        }
    }

    rule(path: string, value: unknown): void {
        const r = this.fields(path, value, RULE_FIELDS, "a seccomp rule");
        if ((r.names === undefined) === (r.name === undefined)) {
            this.fail(path, "must name its syscalls in names (a list) or name (one), not both and not neither");
        }
        if (r.name !== undefined && (typeof r.name !== "string" || !SYSCALL_NAME.test(r.name))) {
            this.fail(`${path}.name`, `is not a syscall name: ${JSON.stringify(r.name)}`);
        }
        if (r.names !== undefined) {
            this.strings(`${path}.names`, r.names, SYSCALL_NAME, "a syscall name");
            if ((r.names as unknown[]).length === 0) {
                this.fail(`${path}.names`, "is empty");
            }
        }
        const action = this.action(`${path}.action`, r.action);
        if (r.errnoRet !== undefined && action !== "SCMP_ACT_ERRNO") {
            this.fail(`${path}.errnoRet`, "is only for the SCMP_ACT_ERRNO action");
        }
        this.integer(`${path}.errnoRet`, r.errnoRet, 0, 4095);
        if (r.comment !== undefined && typeof r.comment !== "string") {
            this.fail(`${path}.comment`, "must be text");
        }
        if (r.args !== undefined && r.args !== null) {
            if (!Array.isArray(r.args)) {
                this.fail(`${path}.args`, "must be a list of { index, value, valueTwo, op }");
            }
            r.args.forEach((a, i) => {
                const p = `${path}.args[${i}]`;
                const arg = this.fields(p, a, ARG_FIELDS, "a syscall argument condition");
                if (arg.index === undefined || arg.value === undefined || arg.op === undefined) {
                    this.fail(p, "needs index, value and op");
                }
                this.integer(`${p}.index`, arg.index, 0, 5);
                this.integer(`${p}.value`, arg.value, 0, Number.MAX_SAFE_INTEGER);
                this.integer(`${p}.valueTwo`, arg.valueTwo, 0, Number.MAX_SAFE_INTEGER);
                if (typeof arg.op !== "string" || !(SECCOMP_OPS as readonly string[]).includes(arg.op)) {
                    this.fail(`${p}.op`, `must be one of ${SECCOMP_OPS.join(", ")}; got ${JSON.stringify(arg.op)}`);
                }
            });
        }
        this.filter(`${path}.includes`, r.includes);
        this.filter(`${path}.excludes`, r.excludes);
    }

    profile(value: unknown): SeccompProfile {
        const p = this.fields("", value, PROFILE_FIELDS, "a seccomp profile");
        if (p.defaultAction === undefined) {
            this.fail("", `must have a defaultAction (${SECCOMP_ACTIONS.join(", ")})`);
        }
        const action = this.action("defaultAction", p.defaultAction);
        if (PERMISSIVE_DEFAULT_ACTIONS.includes(action)) {
            this.fail(
                "defaultAction",
                `is ${action}, which lets every syscall no rule names through; deny by default (SCMP_ACT_ERRNO) (CIS ${this.cis})`,
            );
        }
        if (p.defaultErrnoRet !== undefined && action !== "SCMP_ACT_ERRNO") {
            this.fail("defaultErrnoRet", "is only for the SCMP_ACT_ERRNO default action");
        }
        this.integer("defaultErrnoRet", p.defaultErrnoRet, 0, 4095);
        this.strings("architectures", p.architectures, ARCH, "an architecture (SCMP_ARCH_...)");
        if (p.archMap !== undefined) {
            if (!Array.isArray(p.archMap)) {
                this.fail("archMap", "must be a list of { architecture, subArchitectures }");
            }
            p.archMap.forEach((m, i) => {
                const a = this.fields(`archMap[${i}]`, m, ["architecture", "subArchitectures"], "an archMap entry");
                if (typeof a.architecture !== "string" || !ARCH.test(a.architecture)) {
                    this.fail(
                        `archMap[${i}].architecture`,
                        `is not an architecture (SCMP_ARCH_...): ${JSON.stringify(a.architecture)}`,
                    );
                }
                this.strings(
                    `archMap[${i}].subArchitectures`,
                    a.subArchitectures,
                    ARCH,
                    "an architecture (SCMP_ARCH_...)",
                    true,
                );
            });
        }
        if (p.syscalls !== undefined && p.syscalls !== null) {
            if (!Array.isArray(p.syscalls)) {
                this.fail("syscalls", "must be a list of { names, action } rules");
            }
            p.syscalls.forEach((r, i) => this.rule(`syscalls[${i}]`, r));
        }
        for (const key of ["listenerPath", "listenerMetadata"]) {
            if (p[key] !== undefined && typeof p[key] !== "string") {
                this.fail(key, "must be text");
            }
        }
        this.strings(
            "flags",
            p.flags,
            /^SECCOMP_FILTER_FLAG_[A-Z_]+$/,
            "a seccomp filter flag (SECCOMP_FILTER_FLAG_...)",
        );
        return p as unknown as SeccompProfile;
    }
}

/**
 * Reads a seccomp profile's JSON text and checks it field by field as dockerd reads it: a default
 * action that lets unnamed syscalls through, and any field dockerd does not know (it would ignore a
 * misspelt one), are refused. Errors name the argument and the path in the profile; `cis` is the
 * control they cite (5.22 for a container's profile, 2.17 for the daemon's default one).
 */
export function readSeccompProfile(argument: string, text: unknown, cis: string): SeccompProfile {
    if (typeof text !== "string" || text.trim() === "unconfined") {
        throw new ArgumentError(
            argument,
            `must be a seccomp profile's JSON text; unconfined is not allowed (CIS ${cis})`,
        );
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        // Not JSON.parse's words: they differ between Node versions.
        throw new ArgumentError(argument, "is not valid JSON: give the profile's JSON text, as Docker reads it");
    }
    return new ProfileReader(argument, cis).profile(parsed);
}

/** A container's seccomp profile (CIS 5.22), checked by readSeccompProfile, as compact JSON. */
export function validateSeccompProfile(text: unknown, argument = "args.seccompProfileJson"): string {
    return JSON.stringify(readSeccompProfile(argument, text, "5.22"));
}

/** Every syscall some SCMP_ACT_ALLOW rule of the profile names (under any condition). */
export function allowedSyscalls(profile: SeccompProfile): Set<string> {
    const out = new Set<string>();
    for (const r of profile.syscalls ?? []) {
        if (r.action === "SCMP_ACT_ALLOW") {
            for (const n of r.names ?? (r.name === undefined ? [] : [r.name])) {
                out.add(n);
            }
        }
    }
    return out;
}

/**
 * Docker's default profile with the given syscalls taken out of every rule that allows them (a rule
 * left with none is dropped): they then get the default action, EPERM. The result is compact JSON.
 */
export function tightenDefaultProfile(args: unknown, argument = "args.seccompProfile"): string {
    if (!isRecord(args) || Object.keys(args).some((k) => k !== "denySyscalls")) {
        throw new ArgumentError(argument, "must be { denySyscalls: [syscall names] }");
    }
    const deny = args.denySyscalls;
    const path = `${argument}.denySyscalls`;
    if (!Array.isArray(deny) || deny.length === 0) {
        throw new ArgumentError(path, "must be a non-empty list of syscall names that Docker's default profile allows");
    }
    const allowed = allowedSyscalls(DOCKER_DEFAULT_SECCOMP);
    const seen = new Set<string>();
    deny.forEach((name, i) => {
        if (typeof name !== "string" || !allowed.has(name)) {
            throw new ArgumentError(
                `${path}[${i}]`,
                `is not a syscall that Docker's default profile allows: ${JSON.stringify(name)} (the list is DOCKER_DEFAULT_SECCOMP's SCMP_ACT_ALLOW rules)`,
            );
        }
        if (SECCOMP_REQUIRED_SYSCALLS.includes(name)) {
            throw new ArgumentError(
                `${path}[${i}]`,
                `is ${name}: no container starts or ends without it (never deny ${SECCOMP_REQUIRED_SYSCALLS.join(", ")})`,
            );
        }
        if (seen.has(name)) {
            throw new ArgumentError(`${path}[${i}]`, `repeats ${JSON.stringify(name)}`);
        }
        seen.add(name);
    });
    const rules: SeccompRule[] = [];
    for (const r of DOCKER_DEFAULT_SECCOMP.syscalls ?? []) {
        if (r.action !== "SCMP_ACT_ALLOW") {
            rules.push(r);
            continue;
        }
        const names = (r.names ?? []).filter((n) => !seen.has(n));
        if (names.length > 0) {
            rules.push({ ...r, names });
        }
    }
    return JSON.stringify({ ...DOCKER_DEFAULT_SECCOMP, syscalls: rules });
}
