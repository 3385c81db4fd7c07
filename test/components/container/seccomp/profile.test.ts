import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { ArgumentError } from "../../../../components/common/errors";
import {
    allowedSyscalls,
    DOCKER_DEFAULT_SECCOMP,
    DOCKER_DEFAULT_SECCOMP_SOURCE,
    SECCOMP_REQUIRED_SYSCALLS,
    tightenDefaultProfile,
    type SeccompProfile,
} from "../../../../components/container/seccomp";
import { validateSeccompProfile } from "../../../../components/container/validate";

const ARG = "args.seccompProfileJson";

function refused(profile: unknown, message: string) {
    assert.throws(
        () => validateSeccompProfile(typeof profile === "string" ? profile : JSON.stringify(profile)),
        (e: unknown) => e instanceof ArgumentError && e.message === message,
        message,
    );
}

const rule = (extra: Record<string, unknown>) => ({
    defaultAction: "SCMP_ACT_ERRNO",
    syscalls: [{ names: ["mkdir"], action: "SCMP_ACT_ALLOW", ...extra }],
});

describe("DOCKER_DEFAULT_SECCOMP (Docker's default profile, vendored)", () => {
    it("is Docker 20.10's profile from Debian 12, and passes the validator unchanged", () => {
        assert.equal(DOCKER_DEFAULT_SECCOMP_SOURCE, "golang-github-docker-docker-dev 20.10.24+dfsg1-1+deb12u1");
        assert.equal(DOCKER_DEFAULT_SECCOMP.defaultAction, "SCMP_ACT_ERRNO");
        assert.equal(DOCKER_DEFAULT_SECCOMP.syscalls?.length, 28);
        assert.equal(allowedSyscalls(DOCKER_DEFAULT_SECCOMP).size, 404);
        for (const n of ["mkdir", "mkdirat", "chmod", "execve", "socket"]) {
            assert.ok(allowedSyscalls(DOCKER_DEFAULT_SECCOMP).has(n), n);
        }
        const text = JSON.stringify(DOCKER_DEFAULT_SECCOMP);
        assert.equal(validateSeccompProfile(text), text);
    });
});

describe("validateSeccompProfile: every field as dockerd reads it (CIS 5.22)", () => {
    it("returns a valid profile as compact JSON", () => {
        const p = {
            defaultAction: "SCMP_ACT_ERRNO",
            defaultErrnoRet: 1,
            architectures: ["SCMP_ARCH_X86_64"],
            syscalls: [
                { names: ["read", "write"], action: "SCMP_ACT_ALLOW" },
                { name: "personality", action: "SCMP_ACT_ALLOW", args: [{ index: 0, value: 0, op: "SCMP_CMP_EQ" }] },
                { names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38, excludes: { caps: ["CAP_SYS_ADMIN"] } },
                { names: ["ptrace"], action: "SCMP_ACT_ALLOW", includes: { minKernel: "4.8", arches: ["amd64"] } },
            ],
        };
        assert.equal(validateSeccompProfile(JSON.stringify(p, null, 2)), JSON.stringify(p));
    });

    const cases: [string, unknown, string][] = [
        ["not JSON", "{", `${ARG} is not valid JSON: give the profile's JSON text, as Docker reads it`],
        ["a list", "[]", `${ARG} must be an object (a seccomp profile)`],
        [
            "no default action",
            { syscalls: [] },
            `${ARG} must have a defaultAction (SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_TRACE, SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_NOTIFY)`,
        ],
        [
            "an unknown action",
            { defaultAction: "SCMP_ACT_DENY" },
            `${ARG}.defaultAction must be one of SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_TRACE, SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_NOTIFY; got "SCMP_ACT_DENY"`,
        ],
        [
            "a notify default",
            { defaultAction: "SCMP_ACT_NOTIFY", listenerPath: "/run/agent.sock" },
            `${ARG}.defaultAction is SCMP_ACT_NOTIFY, which lets every syscall no rule names through; deny by default (SCMP_ACT_ERRNO) (CIS 5.22)`,
        ],
        [
            "a misspelt top-level field",
            { defaultAction: "SCMP_ACT_ERRNO", syscall: [] },
            `${ARG}.syscall is not a field of a seccomp profile; dockerd would ignore it (fields: defaultAction, defaultErrnoRet, architectures, archMap, syscalls, listenerPath, listenerMetadata, flags)`,
        ],
        [
            "a misspelt rule field",
            { defaultAction: "SCMP_ACT_ERRNO", syscalls: [{ nmes: ["read"], action: "SCMP_ACT_ALLOW" }] },
            `${ARG}.syscalls[0].nmes is not a field of a seccomp rule; dockerd would ignore it (fields: names, name, action, errnoRet, args, comment, includes, excludes)`,
        ],
        [
            "both name and names",
            rule({ name: "read" }),
            `${ARG}.syscalls[0] must name its syscalls in names (a list) or name (one), not both and not neither`,
        ],
        ["an empty names list", rule({ names: [] }), `${ARG}.syscalls[0].names is empty`],
        [
            "a bad syscall name",
            rule({ names: ["mkdir", "Mkdir!"] }),
            `${ARG}.syscalls[0].names[1] is not a syscall name: "Mkdir!"`,
        ],
        [
            "errnoRet on an allow rule",
            rule({ errnoRet: 1 }),
            `${ARG}.syscalls[0].errnoRet is only for the SCMP_ACT_ERRNO action`,
        ],
        [
            "an argument index out of range",
            rule({ args: [{ index: 6, value: 0, op: "SCMP_CMP_EQ" }] }),
            `${ARG}.syscalls[0].args[0].index must be an integer from 0 to 5; got 6`,
        ],
        [
            "an unknown comparison",
            rule({ args: [{ index: 0, value: 0, op: "EQ" }] }),
            `${ARG}.syscalls[0].args[0].op must be one of SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ; got "EQ"`,
        ],
        [
            "a capability without its prefix",
            rule({ includes: { caps: ["SYS_ADMIN"] } }),
            `${ARG}.syscalls[0].includes.caps[0] is not a capability (CAP_...): "SYS_ADMIN"`,
        ],
        [
            "a kernel version without its minor",
            rule({ includes: { minKernel: "4" } }),
            `${ARG}.syscalls[0].includes.minKernel must be "major.minor"; got "4"`,
        ],
        [
            "an unknown architecture",
            { defaultAction: "SCMP_ACT_ERRNO", architectures: ["x86_64"] },
            `${ARG}.architectures[0] is not an architecture (SCMP_ARCH_...): "x86_64"`,
        ],
        [
            "a default errno with a kill default",
            { defaultAction: "SCMP_ACT_KILL", defaultErrnoRet: 1 },
            `${ARG}.defaultErrnoRet is only for the SCMP_ACT_ERRNO default action`,
        ],
        [
            "syscalls that are not a list",
            { defaultAction: "SCMP_ACT_ERRNO", syscalls: {} },
            `${ARG}.syscalls must be a list of { names, action } rules`,
        ],
    ];
    for (const [what, profile, message] of cases) {
        it(`refuses ${what}`, () => refused(profile, message));
    }
});

describe("tightenDefaultProfile (args.seccompProfile)", () => {
    const allowed = allowedSyscalls(DOCKER_DEFAULT_SECCOMP);

    it("takes the denied syscalls out of every allow rule and leaves the rest of the default as it is", () => {
        const p = JSON.parse(tightenDefaultProfile({ denySyscalls: ["mkdir", "mkdirat"] })) as SeccompProfile;
        const now = allowedSyscalls(p);
        assert.deepEqual([...allowed].filter((n) => !now.has(n)).sort(), ["mkdir", "mkdirat"]);
        assert.equal(now.size, allowed.size - 2);
        assert.equal(p.defaultAction, "SCMP_ACT_ERRNO");
        assert.deepEqual(p.archMap, DOCKER_DEFAULT_SECCOMP.archMap);
        assert.equal(p.syscalls?.length, 28);
    });

    it("drops a rule left with no syscall (ptrace's, from 4.8)", () => {
        const p = JSON.parse(tightenDefaultProfile({ denySyscalls: ["ptrace"] })) as SeccompProfile;
        assert.equal(p.syscalls?.length, 27);
        assert.ok(!allowedSyscalls(p).has("ptrace"));
    });

    it("gives a profile that the validator passes, for any set of denied syscalls (property)", () => {
        const choices = [...allowed].filter((n) => !SECCOMP_REQUIRED_SYSCALLS.includes(n)).sort();
        fc.assert(
            fc.property(fc.uniqueArray(fc.constantFrom(...choices), { minLength: 1, maxLength: 40 }), (deny) => {
                const text = tightenDefaultProfile({ denySyscalls: deny });
                assert.equal(validateSeccompProfile(text), text);
                const now = allowedSyscalls(JSON.parse(text) as SeccompProfile);
                assert.deepEqual([...now].sort(), [...allowed].filter((n) => !deny.includes(n)).sort());
            }),
            { numRuns: 200 },
        );
    });

    const cases: [string, unknown, string][] = [
        [
            "an empty list",
            { denySyscalls: [] },
            "args.seccompProfile.denySyscalls must be a non-empty list of syscall names that Docker's default profile allows",
        ],
        [
            "a syscall the default does not allow",
            { denySyscalls: ["mkdir", "mkdri"] },
            `args.seccompProfile.denySyscalls[1] is not a syscall that Docker's default profile allows: "mkdri" (the list is DOCKER_DEFAULT_SECCOMP's SCMP_ACT_ALLOW rules)`,
        ],
        [
            "execve",
            { denySyscalls: ["execve"] },
            "args.seccompProfile.denySyscalls[0] is execve: no container starts or ends without it (never deny execve, exit, exit_group, rt_sigreturn)",
        ],
        ["a repeat", { denySyscalls: ["chmod", "chmod"] }, `args.seccompProfile.denySyscalls[1] repeats "chmod"`],
        [
            "another field",
            { denySyscalls: ["chmod"], allow: ["x"] },
            "args.seccompProfile must be { denySyscalls: [syscall names] }",
        ],
    ];
    for (const [what, args, message] of cases) {
        it(`refuses ${what}`, () =>
            assert.throws(
                () => tightenDefaultProfile(args),
                (e: unknown) => e instanceof ArgumentError && e.message === message,
                message,
            ));
    }
});
