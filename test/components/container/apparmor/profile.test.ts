import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as fc from "fast-check";
import {
    APPARMOR_PROFILE_NAME,
    NAME_RESOLUTION_FILES,
    appArmorProfilePath,
    renderAppArmorProfile,
    topLevelProfiles,
    validateAppArmor,
    type AppArmorRules,
    type ContainerAppArmorArgs,
} from "../../../../components/container/apparmor";
import { ArgumentError } from "../../../../components/common/errors";
import { LINUX_CAPABILITIES } from "../../../../policy-pack/lib/rules/linux";
import { needTool, run } from "../../host/stepHarness";

const ARG = "args.appArmor";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const generated = (rules: AppArmorRules, capabilities: string[] = [], name = "hd-api") =>
    validateAppArmor({ name, rules }, capabilities, ARG);

/** A short written profile, as a user would give it. */
const WRITTEN = [
    "# hd-api, written by hand",
    "#include <tunables/global>",
    "",
    "profile hd-api flags=(attach_disconnected) {",
    "\t#include <abstractions/base>",
    "\t/app/server mrix,",
    "\t/data/** rwk,",
    "}",
].join("\n");

/** A written profile with a variable, an alternation, an include, a child profile and a hat. */
const NESTED = [
    "include <tunables/global>",
    "@{APP}={/app,/srv/app}",
    "profile hd-api flags=(attach_disconnected) {",
    "  @{APP}/** r,",
    "  /etc/{passwd,group} r,",
    "  /app/helper cx -> helper,",
    "  profile helper {",
    "    /app/helper mr,",
    "  }",
    "  ^worker {",
    "    /data/** rw,",
    "  }",
    "}",
    "",
].join("\n");

/** The tail every generated profile ends with: docker-default's denials. */
const DENIALS = [
    "",
    "  # What docker-default denies, denied here too whatever the rules above allow.",
    "  deny mount,",
    "  deny umount,",
    "  deny pivot_root,",
    "  deny @{PROC}/* w,",
    "  deny @{PROC}/{[^1-9],[^1-9][^0-9],[^1-9s][^0-9y][^0-9s],[^1-9][^0-9][^0-9][^0-9/]*}/** w,",
    "  deny @{PROC}/sys/[^k]** w,",
    "  deny @{PROC}/sys/kernel/{?,??,[^s][^h][^m]**} w,",
    "  deny @{PROC}/sysrq-trigger rwklx,",
    "  deny @{PROC}/kcore rwklx,",
    "  deny /sys/[^f]*/** wklx,",
    "  deny /sys/f[^s]*/** wklx,",
    "  deny /sys/fs/[^c]*/** wklx,",
    "  deny /sys/fs/c[^g]*/** wklx,",
    "  deny /sys/fs/cg[^r]*/** wklx,",
    "  deny /sys/firmware/** rwklx,",
    "  deny /sys/devices/virtual/powercap/** rwklx,",
    "  deny /sys/kernel/security/** rwklx,",
    "}",
    "",
];

describe("AppArmor profile names and paths", () => {
    it("installs a profile under /etc/apparmor.d by name", () => {
        assert.equal(appArmorProfilePath("hd-api"), "/etc/apparmor.d/hardened-docker.hd-api");
    });

    it("takes names of [a-z0-9_-] starting with a letter or digit, at most 64 characters", () => {
        for (const name of ["a", "0", "hd-api", "hd_api-v2", "a".repeat(64)]) {
            assert.ok(APPARMOR_PROFILE_NAME.test(name), name);
        }
        // No dot: apparmor.service skips hardened-docker.x.orig, .dpkg-old and the like at boot.
        for (const name of ["", "A", "-a", ".a", "_a", "a b", "a/b", "a".repeat(65), "a\n", "hd.orig", "a.dpkg-old"]) {
            assert.ok(!APPARMOR_PROFILE_NAME.test(name), JSON.stringify(name));
        }
    });
});

describe("validateAppArmor: refused arguments", () => {
    const rules = { execute: ["/app/server"] };
    const nameMessage = (got: string) =>
        `${ARG}.name must be a profile name of [a-z0-9_-] starting with a letter or digit, at most 64 characters, got ${got}`;
    const pathMessage = (at: string, got: string) =>
        `${ARG}.rules.${at} must be an absolute path or AppArmor glob of [A-Za-z0-9._/*?+@~-], without "//", "." or ".." parts, got ${got}`;
    const withRules = (r: unknown) => ({ name: "hd-api", rules: r });
    const withProfile = (p: unknown) => ({ name: "hd-api", profile: p });
    const flagMessage = (flag: string) =>
        `${ARG}.profile sets the flag ${flag}, which lets everything through: the profile must enforce (CIS 5.2)`;
    const sizeMessage = `${ARG}.profile must be text of at most 65536 bytes, without NUL bytes`;
    const wholeFs = (p: string) =>
        `${ARG}.rules.write[0] is ${JSON.stringify(p)}, which reaches the whole filesystem: name the directories the service writes, such as "/data/**"`;

    const BAD: [title: string, args: unknown, message: string][] = [
        ["a string", "hd-api", `${ARG} must be an object with the fields name, profile, rules`],
        ["null", null, `${ARG} must be an object with the fields name, profile, rules`],
        ["a list", [{ name: "hd-api", rules }], `${ARG} must be an object with the fields name, profile, rules`],
        [
            "an unknown field",
            { name: "hd-api", rules, mode: "enforce" },
            `${ARG}.mode is not an AppArmor option; allowed: name, profile, rules`,
        ],
        ["no name", { rules }, nameMessage("undefined")],
        ["a number as name", { name: 7, rules }, nameMessage("7")],
        ["an empty name", { name: "", rules }, nameMessage('""')],
        ["an upper-case name", { name: "HD-api", rules }, nameMessage('"HD-api"')],
        ["a name of 65 characters", { name: "a".repeat(65), rules }, nameMessage(`"${"a".repeat(65)}"`)],
        ["a name with a shell character", { name: "hd;id", rules }, nameMessage('"hd;id"')],
        ["a name with a command substitution", { name: "$(id)", rules }, nameMessage('"$(id)"')],
        ["a name with a space", { name: "hd api", rules }, nameMessage('"hd api"')],
        ["a name with a slash", { name: "hd/api", rules }, nameMessage('"hd/api"')],
        ["a name with a leading dot", { name: ".hd", rules }, nameMessage('".hd"')],
        ["a name with a leading dash", { name: "-hd", rules }, nameMessage('"-hd"')],
        ["a name with a newline", { name: "hd\n", rules }, nameMessage('"hd\\n"')],
        [
            "docker-default",
            { name: "docker-default", rules },
            `${ARG}.name is "docker-default", which is not the container's own profile: choose a name for it, such as "hd-api"`,
        ],
        [
            "unconfined",
            { name: "unconfined", rules },
            `${ARG}.name is "unconfined", which is not the container's own profile: choose a name for it, such as "hd-api"`,
        ],
        [
            "both profile and rules",
            { name: "hd-api", profile: WRITTEN, rules },
            `${ARG} needs exactly one of profile (a profile you wrote) and rules (a profile generated from what the service does)`,
        ],
        [
            "neither profile nor rules",
            { name: "hd-api" },
            `${ARG} needs exactly one of profile (a profile you wrote) and rules (a profile generated from what the service does)`,
        ],
        ["an empty written profile", withProfile(""), `${ARG}.profile must be the text of an AppArmor profile`],
        ["a blank written profile", withProfile(" \n\t\n"), `${ARG}.profile must be the text of an AppArmor profile`],
        [
            "a written profile that is not text",
            withProfile(42),
            `${ARG}.profile must be the text of an AppArmor profile`,
        ],
        [
            "a written profile of 65537 bytes",
            withProfile(`${WRITTEN}\n#${"x".repeat(65536 - WRITTEN.length - 1)}`),
            sizeMessage,
        ],
        // 40000 characters, 80000 bytes: the limit is in bytes.
        [
            "a written profile over the limit in UTF-8 bytes",
            withProfile(`${WRITTEN}\n#${"é".repeat(40000)}`),
            sizeMessage,
        ],
        ["a written profile with a NUL byte", withProfile(`${WRITTEN}\n#\0`), sizeMessage],
        [
            "a written profile declaring another name",
            withProfile(WRITTEN.replace("profile hd-api", "profile hd-web")),
            `${ARG}.profile must declare "profile hd-api" (the name in args.appArmor.name); it declares "hd-web"`,
        ],
        [
            "a written profile declaring two other names",
            withProfile('profile hd-web {\n}\nprofile "hd-db" {\n}\n'),
            `${ARG}.profile must declare "profile hd-api" (the name in args.appArmor.name); it declares "hd-web", "hd-db"`,
        ],
        [
            "a written profile declaring no named profile",
            withProfile("/app/server {\n  /app/server mrix,\n}\n"),
            `${ARG}.profile must declare "profile hd-api" (the name in args.appArmor.name); it declares no named profile`,
        ],
        [
            "a written profile whose declaration is a comment",
            withProfile("# profile hd-api {\n/app/server {\n}\n"),
            `${ARG}.profile must declare "profile hd-api" (the name in args.appArmor.name); it declares no named profile`,
        ],
        [
            "a written profile whose name only starts with the name",
            withProfile("profile hd-api2 {\n}\n"),
            `${ARG}.profile must declare "profile hd-api" (the name in args.appArmor.name); it declares "hd-api2"`,
        ],
        [
            "a written profile whose profile of that name is only a child of another",
            withProfile("profile hd-outer {\n  /app/** r,\n  profile hd-api {\n    /app/server mrix,\n  }\n}\n"),
            `${ARG}.profile must declare "profile hd-api" (the name in args.appArmor.name); it declares "hd-outer"`,
        ],
        [
            "a written profile naming a top-level profile through a variable",
            withProfile("profile hd-api {\n}\nprofile @{name} {\n}\n"),
            `${ARG}.profile names a top-level profile through a variable ("profile @{name}"): write its name out, so that it can be claimed on the host`,
        ],
        [
            "a written profile declaring docker-default beside its own",
            withProfile("profile hd-api {\n}\nprofile docker-default {\n}\n"),
            `${ARG}.profile declares the profile "docker-default", which is not the container's: every top-level profile of the text is loaded, replaced and removed with it`,
        ],
        [
            "a written profile declaring unconfined beside its own",
            withProfile('profile hd-api {\n}\nprofile "unconfined" {\n}\n'),
            `${ARG}.profile declares the profile "unconfined", which is not the container's: every top-level profile of the text is loaded, replaced and removed with it`,
        ],
        [
            "a written profile whose profile of that name is a child of a quoted one with a #",
            withProfile('profile "a#b" {\n  profile hd-api {\n  }\n}\n'),
            `${ARG}.profile must declare "profile hd-api" (the name in args.appArmor.name); it declares "a#b"`,
        ],
        [
            "a written profile declaring its name twice",
            withProfile("profile hd-api {\n}\nprofile hd-api {\n}\n"),
            `${ARG}.profile declares "profile hd-api" more than once`,
        ],
        [
            "a written profile in complain mode",
            withProfile(WRITTEN.replace("flags=(attach_disconnected)", "flags=(complain)")),
            flagMessage("complain"),
        ],
        [
            "a written profile with the unconfined flag among others",
            withProfile(WRITTEN.replace("flags=(attach_disconnected)", "flags=(attach_disconnected,unconfined)")),
            flagMessage("unconfined"),
        ],
        [
            "a written profile with spaces around its flags",
            withProfile(WRITTEN.replace("flags=(attach_disconnected)", "flags = ( mediate_deleted, complain )")),
            flagMessage("complain"),
        ],
        [
            "a written profile in bare (complain) mode",
            withProfile(WRITTEN.replace("flags=(attach_disconnected)", "(complain)")),
            flagMessage("complain"),
        ],
        [
            "a written profile whose (complain) flag is on the next line",
            withProfile(WRITTEN.replace("flags=(attach_disconnected)", "\n  (complain)")),
            flagMessage("complain"),
        ],
        [
            "a written profile in kill mode (the host checks for enforce)",
            withProfile(WRITTEN.replace("flags=(attach_disconnected)", "flags=(kill)")),
            `${ARG}.profile sets the flag kill: HardenedContainer loads a profile in enforce mode and checks the kernel holds it so (CIS 5.2); remove the flag`,
        ],
        [
            "a written profile with a complain child profile",
            withProfile(`${WRITTEN.slice(0, -1)}  profile child flags=(complain) {\n  }\n}\n`),
            flagMessage("complain"),
        ],
        [
            "rules that are a string",
            withRules("/app/server"),
            `${ARG}.rules must be an object with the fields execute, read, write, network`,
        ],
        [
            "rules that are null",
            withRules(null),
            `${ARG}.rules must be an object with the fields execute, read, write, network`,
        ],
        [
            "rules that are a list",
            withRules(["/app/server"]),
            `${ARG}.rules must be an object with the fields execute, read, write, network`,
        ],
        [
            "an unknown rule",
            withRules({ execute: ["/app/server"], exec: ["/bin/sh"] }),
            `${ARG}.rules.exec is not a rule; allowed: execute, read, write, network`,
        ],
        [
            "no execute",
            withRules({ read: ["/app/**"] }),
            `${ARG}.rules.execute must be a list of absolute paths, such as ["/app/**"]`,
        ],
        [
            "execute as a string",
            withRules({ execute: "/app/server" }),
            `${ARG}.rules.execute must be a list of absolute paths, such as ["/app/**"]`,
        ],
        [
            "an empty execute",
            withRules({ execute: [] }),
            `${ARG}.rules.execute must list the programs the service runs, its entrypoint first, such as ["/app/server"]`,
        ],
        ["a relative path", withRules({ execute: ["app/server"] }), pathMessage("execute[0]", '"app/server"')],
        ["an empty path", withRules({ execute: [""] }), pathMessage("execute[0]", '""')],
        ["a path that is not a string", withRules({ execute: [1] }), pathMessage("execute[0]", "1")],
        [
            "a path with a space",
            withRules({ execute: ["/app/my server"] }),
            pathMessage("execute[0]", '"/app/my server"'),
        ],
        [
            "a path with a comma",
            withRules({ execute: ["/app/server", "/app/a,b"] }),
            pathMessage("execute[1]", '"/app/a,b"'),
        ],
        ["a path with a quote", withRules({ execute: ['/app/"x"'] }), pathMessage("execute[0]", '"/app/\\"x\\""')],
        [
            "a path with a newline",
            withRules({ execute: ["/app/x\n/** rwk"] }),
            pathMessage("execute[0]", '"/app/x\\n/** rwk"'),
        ],
        ["a path with braces", withRules({ execute: ["/app/{a,b}"] }), pathMessage("execute[0]", '"/app/{a,b}"')],
        ["a path with a variable", withRules({ execute: ["@{PROC}/1"] }), pathMessage("execute[0]", '"@{PROC}/1"')],
        [
            "a path with ..",
            withRules({ execute: ["/app/../etc/shadow"] }),
            pathMessage("execute[0]", '"/app/../etc/shadow"'),
        ],
        [
            "a path ending in ..",
            withRules({ execute: ["/app/server"], read: ["/app/.."] }),
            pathMessage("read[0]", '"/app/.."'),
        ],
        ["a path with .", withRules({ execute: ["/app/./server"] }), pathMessage("execute[0]", '"/app/./server"')],
        ["a path with //", withRules({ execute: ["/app//server"] }), pathMessage("execute[0]", '"/app//server"')],
        [
            "a path that starts with //",
            withRules({ execute: ["//app/server"] }),
            pathMessage("execute[0]", '"//app/server"'),
        ],
        [
            "a bad read path",
            withRules({ execute: ["/app/server"], read: ["/app/**", "etc"] }),
            pathMessage("read[1]", '"etc"'),
        ],
        [
            "a bad write path",
            withRules({ execute: ["/app/server"], write: ["/data/a b"] }),
            pathMessage("write[0]", '"/data/a b"'),
        ],
        [
            "read as a string",
            withRules({ execute: ["/app/server"], read: "/app/**" }),
            `${ARG}.rules.read must be a list of absolute paths, such as ["/app/**"]`,
        ],
        [
            "write as an object",
            withRules({ execute: ["/app/server"], write: {} }),
            `${ARG}.rules.write must be a list of absolute paths, such as ["/app/**"]`,
        ],
        ["writes to /", withRules({ execute: ["/app/server"], write: ["/"] }), wholeFs("/")],
        ["writes to /*", withRules({ execute: ["/app/server"], write: ["/*"] }), wholeFs("/*")],
        ["writes to /**", withRules({ execute: ["/app/server"], write: ["/**"] }), wholeFs("/**")],
        ["writes to /*/**", withRules({ execute: ["/app/server"], write: ["/*/**"] }), wholeFs("/*/**")],
        ["writes to /**/*", withRules({ execute: ["/app/server"], write: ["/**/*"] }), wholeFs("/**/*")],
        ["writes to /?**", withRules({ execute: ["/app/server"], write: ["/?**"] }), wholeFs("/?**")],
        ["writes to /d*/x", withRules({ execute: ["/app/server"], write: ["/d*/x"] }), wholeFs("/d*/x")],
        [
            "an execute path ending in /",
            withRules({ execute: ["/app/"] }),
            `${ARG}.rules.execute[0] is a directory; name the programs, such as "/app/server"`,
        ],
        [
            "an execute of /",
            withRules({ execute: ["/"] }),
            `${ARG}.rules.execute[0] is a directory; name the programs, such as "/app/server"`,
        ],
        [
            "a repeated program",
            withRules({ execute: ["/app/server", "/bin/sh", "/app/server"] }),
            `${ARG}.rules.execute[2] repeats "/app/server"`,
        ],
        [
            "a repeated read path",
            withRules({ execute: ["/app/server"], read: ["/app/**", "/app/**"] }),
            `${ARG}.rules.read[1] repeats "/app/**"`,
        ],
        [
            "a repeated write path",
            withRules({ execute: ["/app/server"], write: ["/data/**", "/data/**"] }),
            `${ARG}.rules.write[1] repeats "/data/**"`,
        ],
        [
            "network as a string",
            withRules({ execute: ["/app/server"], network: "tcp" }),
            `${ARG}.rules.network must be a list of "tcp" and "udp"`,
        ],
        [
            "an unknown socket",
            withRules({ execute: ["/app/server"], network: ["tcp", "icmp"] }),
            `${ARG}.rules.network[1] must be "tcp" or "udp", got "icmp"`,
        ],
        [
            "an upper-case socket",
            withRules({ execute: ["/app/server"], network: ["TCP"] }),
            `${ARG}.rules.network[0] must be "tcp" or "udp", got "TCP"`,
        ],
        [
            "a repeated socket",
            withRules({ execute: ["/app/server"], network: ["udp", "tcp", "udp"] }),
            `${ARG}.rules.network[2] repeats "udp"`,
        ],
    ];
    it(`refuses ${BAD.length} bad arguments, each with its exact message`, () => {
        assert.equal(BAD.length, 85);
    });
    for (const [title, args, message] of BAD) {
        it(`refuses ${title}`, () => {
            assert.throws(() => validateAppArmor(args as ContainerAppArmorArgs, [], ARG), {
                name: "ArgumentError",
                message,
            });
        });
    }

    it("names the argument it is given", () => {
        assert.throws(() => validateAppArmor({ name: "hd-api", rules: { execute: [] } }, [], "args.sidecar.appArmor"), {
            name: "ArgumentError",
            message:
                'args.sidecar.appArmor.rules.execute must list the programs the service runs, its entrypoint first, such as ["/app/server"]',
        });
    });
});

describe("validateAppArmor: a written profile", () => {
    it("is kept byte for byte, with a trailing newline added, installed by name", () => {
        const plan = validateAppArmor({ name: "hd-api", profile: WRITTEN }, ["NET_BIND_SERVICE"], ARG);
        assert.deepEqual(plan, {
            name: "hd-api",
            text: `${WRITTEN}\n`,
            sha256: sha256(`${WRITTEN}\n`),
            path: "/etc/apparmor.d/hardened-docker.hd-api",
        });
    });

    it("keeps a text that already ends with a newline exactly as it is", () => {
        const text = `${WRITTEN}\r\n\n`;
        const plan = validateAppArmor({ name: "hd-api", profile: text }, [], ARG);
        assert.equal(plan.text, text);
        assert.equal(plan.sha256, sha256(text));
    });

    it("does not add the container's capabilities to a written profile", () => {
        assert.equal(validateAppArmor({ name: "hd-api", profile: WRITTEN }, ["CHOWN"], ARG).text, `${WRITTEN}\n`);
    });

    it("accepts a quoted name, other profiles beside it, and an attachment", () => {
        for (const text of [
            'profile "hd-api" {\n}\n',
            "profile hd-api /app/server {\n}\n",
            "profile hd-api{\n}\n",
            "  profile hd-api # the service\n{\n}\n",
            "profile hd-helper {\n}\nprofile hd-api {\n}\n",
        ]) {
            assert.equal(validateAppArmor({ name: "hd-api", profile: text }, [], ARG).text, text, text);
        }
    });

    it("lists the other profiles the text declares at its top level, which are loaded with it", () => {
        const plan = (text: string) => validateAppArmor({ name: "hd-api", profile: text }, [], ARG);
        assert.deepEqual(plan("profile hd-helper {\n}\nprofile hd-api {\n}\n").alsoDeclares, ["hd-helper"]);
        assert.deepEqual(
            plan('profile hd-api {\n}\n/usr/bin/tool flags=(attach_disconnected) {\n}\nprofile "hd-db" {\n}\n')
                .alsoDeclares,
            ["/usr/bin/tool", "hd-db"],
        );
        // Child profiles and hats are inside hd-api: nothing else at the top level.
        assert.equal(plan(NESTED).alsoDeclares, undefined);
        assert.equal("alsoDeclares" in plan(WRITTEN), false);
        assert.equal("alsoDeclares" in generated({ execute: ["/app/server"] }), false);
    });

    it("finds the top-level profiles past variables, alternations, includes, hats and child profiles", () => {
        assert.deepEqual(topLevelProfiles(NESTED), [
            { name: "hd-api", header: "profile hd-api flags=(attach_disconnected)" },
        ]);
        assert.deepEqual(
            topLevelProfiles("profile a{\n}\n/app/x {\n  /etc/{a,b} r,\n}\nprofile b\n  (attach_disconnected)\n{\n}\n"),
            [
                { name: "a", header: "profile a" },
                { path: "/app/x", header: "/app/x" },
                { name: "b", header: "(attach_disconnected)" },
            ],
        );
        // A flag list's commas do not end the declaration; a top-level statement's comma does.
        assert.deepEqual(topLevelProfiles("abi <abi/3.0>,\nprofile c flags = ( mediate_deleted, audit ) {\n}\n"), [
            { name: "c", header: "profile c flags = ( mediate_deleted, audit )" },
        ]);
        assert.deepEqual(topLevelProfiles(""), []);
    });

    it("reads any text without failing: a profile or an ArgumentError naming the argument", () => {
        fc.assert(
            fc.property(
                fc.string({
                    unit: fc.constantFrom(
                        "profile ",
                        "hd-api",
                        " ",
                        "\n",
                        "{",
                        "}",
                        "(",
                        ")",
                        ",",
                        "#",
                        '"',
                        "\\",
                        "@",
                        "/",
                        "a",
                    ),
                }),
                (text) => {
                    topLevelProfiles(text);
                    try {
                        validateAppArmor({ name: "hd-api", profile: text }, [], ARG);
                    } catch (e) {
                        return e instanceof ArgumentError && e.argument === `${ARG}.profile`;
                    }
                    return true;
                },
            ),
        );
    });

    it("reads alternations, quotes, escapes and comments in the headers, as apparmor_parser does", () => {
        const names = (text: string) => topLevelProfiles(text).map((t) => t.name ?? `path ${t.path}`);
        // An alternation's comma in an attachment does not end the declaration.
        assert.deepEqual(names("profile hd-api /{,usr/}bin/api flags=(attach_disconnected) {\n}\n"), ["hd-api"]);
        assert.deepEqual(names("profile hd-api {\n}\nprofile hd-web /usr/bin/{web,web2} {\n}\n"), ["hd-api", "hd-web"]);
        assert.deepEqual(names("/{,usr/}bin/tool {\n}\n"), ["path /{,usr/}bin/tool"]);
        // Quoted names, with a "#", a comma or a blank in them; a quoted path.
        assert.deepEqual(names('profile "a#b" {\n  profile hd-api {\n  }\n}\n'), ["a#b"]);
        assert.deepEqual(names('profile "my helper" {\n}\nprofile "a,b" {\n}\n"/opt/my app" {\n}\n'), [
            "my helper",
            "a,b",
            "path /opt/my app",
        ]);
        // A block right after a quote, with an alternation later on its line.
        assert.deepEqual(names('profile "outer"{ /etc/{a,b} r,\n  profile hd-api {\n  }\n}\n'), ["outer"]);
        // Escaped braces are not blocks.
        assert.deepEqual(names("profile outer {\n  /tmp/x\\} r,\n  profile hd-api {}\n}\n"), ["outer"]);
        // A variable's definition with an alternation is not a profile; a one-line profile is.
        assert.deepEqual(names("@{X} = {/a,/b}\nprofile hd-api{ /a r, }\nprofile hd-b{}\n"), ["hd-api", "hd-b"]);
        // A comment's "{" opens nothing, a "#include" is a comment here.
        assert.deepEqual(names("#include <tunables/global>\n# profile x {\nprofile y { # }\n}\n"), ["y"]);
    });

    it("accepts a profile of exactly 65536 bytes", () => {
        const text = `${WRITTEN}\n#${"x".repeat(65536 - WRITTEN.length - 3)}\n`;
        assert.equal(Buffer.byteLength(text), 65536);
        assert.equal(validateAppArmor({ name: "hd-api", profile: text }, [], ARG).text, text);
    });

    it("accepts flags that keep the profile enforcing, and a complain flag in a comment", () => {
        // The comment after the block's "{": a "#" before it would comment the "{" out.
        const text = WRITTEN.replace(
            "flags=(attach_disconnected) {",
            "flags=(attach_disconnected,mediate_deleted,audit) { # not flags=(complain)",
        );
        assert.notEqual(text, WRITTEN);
        assert.equal(validateAppArmor({ name: "hd-api", profile: text }, [], ARG).text, `${text}\n`);
    });
});

describe("validateAppArmor: a generated profile", () => {
    it("renders the rules and the capabilities into the exact profile", () => {
        const plan = generated(
            {
                execute: ["/app/server", "/bin/busybox"],
                read: ["/app/**", "/etc/ssl/certs/*"],
                write: ["/data/**", "/tmp/**"],
                network: ["tcp"],
            },
            ["NET_BIND_SERVICE"],
        );
        const text = [
            "# AppArmor profile hd-api, generated by hardened-docker from args.appArmor.rules.",
            "# Everything not allowed below is denied. Edits on the host are overwritten.",
            "#include <tunables/global>",
            "",
            "profile hd-api flags=(attach_disconnected,mediate_deleted) {",
            "  #include <abstractions/base>",
            "",
            "  # Sockets (rules.network).",
            "  network inet stream,",
            "  network inet6 stream,",
            "",
            "  # Capabilities: exactly the container's own (args.capabilities).",
            "  capability net_bind_service,",
            "",
            "  # Signals: from the engine (docker stop, kill) and among the container's own processes.",
            "  signal (receive) peer=unconfined,",
            "  signal (send,receive) peer=hd-api,",
            "  ptrace (read,readby) peer=hd-api,",
            "",
            "  # Programs the service runs (rules.execute).",
            "  /app/server mrix,",
            "  /bin/busybox mrix,",
            "",
            "  # Paths it reads (rules.read).",
            "  /app/** r,",
            "  /etc/ssl/certs/* r,",
            "",
            "  # Name resolution, for a service with sockets.",
            "  /etc/host.conf r,",
            "  /etc/hosts r,",
            "  /etc/nsswitch.conf r,",
            "  /etc/resolv.conf r,",
            "  /etc/services r,",
            "",
            "  # Paths it writes (rules.write).",
            "  /data/** rwk,",
            "  /tmp/** rwk,",
            ...DENIALS,
        ].join("\n");
        assert.deepEqual(plan, {
            name: "hd-api",
            text,
            sha256: sha256(text),
            path: "/etc/apparmor.d/hardened-docker.hd-api",
        });
    });

    it("renders the smallest profile: one program, no sockets, capabilities, reads or writes", () => {
        const text = [
            "# AppArmor profile hd-min, generated by hardened-docker from args.appArmor.rules.",
            "# Everything not allowed below is denied. Edits on the host are overwritten.",
            "#include <tunables/global>",
            "",
            "profile hd-min flags=(attach_disconnected,mediate_deleted) {",
            "  #include <abstractions/base>",
            "",
            "  # Signals: from the engine (docker stop, kill) and among the container's own processes.",
            "  signal (receive) peer=unconfined,",
            "  signal (send,receive) peer=hd-min,",
            "  ptrace (read,readby) peer=hd-min,",
            "",
            "  # Programs the service runs (rules.execute).",
            "  /app/job mrix,",
            ...DENIALS,
        ].join("\n");
        assert.equal(generated({ execute: ["/app/job"] }, [], "hd-min").text, text);
        assert.equal(generated({ execute: ["/app/job"], read: [], write: [], network: [] }, [], "hd-min").text, text);
    });

    it("has no network rule and no name-resolution file without sockets", () => {
        const lines = generated({ execute: ["/app/server"], read: ["/app/**"], write: ["/data/**"] }, [
            "CHOWN",
        ]).text.split("\n");
        assert.deepEqual(
            lines.filter((l) => /^\s*network\b/.test(l) || /Sockets|Name resolution/.test(l)),
            [],
        );
        for (const f of NAME_RESOLUTION_FILES) {
            assert.ok(!lines.some((l) => l.includes(f)), f);
        }
    });

    it("sorts the sockets: tcp (stream) before udp (datagram), whatever the order given", () => {
        const expected = [
            "  network inet stream,",
            "  network inet6 stream,",
            "  network inet dgram,",
            "  network inet6 dgram,",
        ];
        for (const network of [
            ["udp", "tcp"],
            ["tcp", "udp"],
        ] as ("tcp" | "udp")[][]) {
            const text = generated({ execute: ["/app/server"], network }).text;
            assert.deepEqual(
                text.split("\n").filter((l) => l.startsWith("  network ")),
                expected,
            );
        }
        assert.deepEqual(
            generated({ execute: ["/app/server"], network: ["udp"] })
                .text.split("\n")
                .filter((l) => l.startsWith("  network ")),
            ["  network inet dgram,", "  network inet6 dgram,"],
        );
    });

    it("lists the name-resolution files, sorted and frozen", () => {
        assert.deepEqual(NAME_RESOLUTION_FILES, [
            "/etc/host.conf",
            "/etc/hosts",
            "/etc/nsswitch.conf",
            "/etc/resolv.conf",
            "/etc/services",
        ]);
        assert.ok(Object.isFrozen(NAME_RESOLUTION_FILES));
    });

    it("writes each capability in AppArmor's spelling, in the order given", () => {
        const caps = (capabilities: string[]) =>
            renderAppArmorProfile("hd-api", { execute: ["/a"], read: [], write: [], network: [] }, capabilities)
                .split("\n")
                .filter((l) => l.startsWith("  capability "));
        assert.deepEqual(caps(["CHOWN", "CAP_NET_BIND_SERVICE", "SETUID"]), [
            "  capability chown,",
            "  capability net_bind_service,",
            "  capability setuid,",
        ]);
        assert.deepEqual(caps([]), []);
    });

    it("keeps the rules in the order given", () => {
        const lines = generated({ execute: ["/z", "/a"], read: ["/y", "/b"], write: ["/x", "/c"] })
            .text.split("\n")
            .filter((l) => /^ {2}\/[a-z] /.test(l));
        assert.deepEqual(lines, ["  /z mrix,", "  /a mrix,", "  /y r,", "  /b r,", "  /x rwk,", "  /c rwk,"]);
    });

    it("accepts every character of the glob alphabet, and a read of /", () => {
        const plan = generated({
            execute: ["/usr/lib/jvm/java-17/bin/java", "/opt/app/run@v2", "/home/~app/bin/start+stop"],
            read: ["/", "/app/?.conf", "/app/.config/**", "/srv/a_b-c.d/*"],
            write: ["/srv/*/cache/**", "/data/**"],
        });
        assert.ok(plan.text.includes("\n  /home/~app/bin/start+stop mrix,\n"));
        assert.ok(plan.text.includes("\n  / r,\n"));
        assert.ok(plan.text.includes("\n  /srv/*/cache/** rwk,\n"));
    });
});

describe("generated profiles (property)", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._*?+@~-]{1,10}$/).filter((s) => s !== "." && s !== "..");
    const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join("/")}`);
    const rules = fc.record({
        execute: fc.uniqueArray(path, { minLength: 1, maxLength: 8 }),
        read: fc.uniqueArray(path, { maxLength: 8 }),
        write: fc.uniqueArray(
            // A wildcard in the first directory reaches the whole filesystem: refused.
            path.filter((p) => !/[*?]/.test(p.split("/")[1])),
            { maxLength: 8 },
        ),
        network: fc.subarray(["tcp", "udp"] as ("tcp" | "udp")[]),
    });
    const capabilities = fc.subarray([...LINUX_CAPABILITIES]);

    it("any valid paths yield a profile with one mrix line per program and one rwk line per written path", () => {
        fc.assert(
            fc.property(rules, capabilities, (r, caps) => {
                const plan = validateAppArmor({ name: "hd-prop", rules: r }, caps, ARG);
                const lines = plan.text.split("\n");
                assert.deepEqual(
                    lines.filter((l) => l.endsWith(" mrix,")),
                    r.execute.map((p) => `  ${p} mrix,`),
                );
                assert.deepEqual(
                    lines.filter((l) => l.endsWith(" rwk,")),
                    r.write.map((p) => `  ${p} rwk,`),
                );
                assert.deepEqual(
                    lines.filter((l) => / r,$/.test(l)),
                    [...r.read, ...(r.network.length === 0 ? [] : NAME_RESOLUTION_FILES)].map((p) => `  ${p} r,`),
                );
                assert.equal(lines.filter((l) => l.startsWith("  capability ")).length, caps.length);
                assert.equal(lines.filter((l) => l.startsWith("  network ")).length, 2 * r.network.length);
                assert.equal(plan.sha256, sha256(plan.text));
                // The same rules render the same text.
                assert.equal(validateAppArmor({ name: "hd-prop", rules: r }, caps, ARG).text, plan.text);
            }),
        );
    });
});

describe("apparmor_parser accepts the generated profiles and refuses a broken written one", () => {
    let dir: string;
    beforeEach(function () {
        needTool(this, "apparmor_parser", ["--version"], "apparmor");
        dir = mkdtempSync(join(tmpdir(), "hd-apparmor-"));
    });
    afterEach(() => {
        if (dir !== undefined) {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    /** Checks the text as the load script does on the host: parsed, not loaded, no cache. */
    const parse = (text: string) => {
        const file = join(dir, "profile");
        writeFileSync(file, text);
        return run("apparmor_parser", ["--skip-kernel-load", "--skip-cache", file], "");
    };

    const GOOD: [string, AppArmorRules, string[]][] = [
        ["one program", { execute: ["/app/job"] }, []],
        [
            "every kind of rule",
            {
                execute: ["/app/server", "/bin/busybox"],
                read: ["/app/**", "/etc/ssl/certs/*", "/"],
                write: ["/data/**", "/tmp/**", "/srv/*/cache/**"],
                network: ["udp", "tcp"],
            },
            ["NET_BIND_SERVICE", "CHOWN"],
        ],
        ["every Linux capability", { execute: ["/app/server"], network: ["tcp"] }, [...LINUX_CAPABILITIES]],
        [
            "every glob character",
            {
                execute: ["/opt/app/run@v2", "/home/~app/bin/start+stop", "/app/*", "/x/**"],
                read: ["/app/?.conf", "/app/.config/**", "/srv/a_b-c.d/*", "/-x"],
                write: ["/app/server"],
            },
            [],
        ],
    ];
    for (const [title, rules, capabilities] of GOOD) {
        it(`accepts a profile generated with ${title}`, () => {
            assert.equal(parse(generated(rules, capabilities).text).status, 0);
        });
    }

    it("accepts generated profiles for a sample of random rules", () => {
        const segment = fc.stringMatching(/^[A-Za-z0-9._*?+@~-]{1,6}$/).filter((s) => s !== "." && s !== "..");
        const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join("/")}`);
        const sample = fc.sample(
            fc.record({
                execute: fc.uniqueArray(path, { minLength: 1, maxLength: 4 }),
                read: fc.uniqueArray(path, { maxLength: 4 }),
                write: fc.uniqueArray(
                    // A wildcard in the first directory reaches the whole filesystem: refused.
                    path.filter((p) => !/[*?]/.test(p.split("/")[1])),
                    { maxLength: 4 },
                ),
            }),
            { numRuns: 20, seed: 42 },
        );
        for (const rules of sample) {
            const r = parse(generated(rules).text);
            assert.equal(r.status, 0, `${JSON.stringify(rules)}: ${r.stderr}`);
        }
    });

    it("accepts the written profile the tests use", () => {
        assert.equal(parse(validateAppArmor({ name: "hd-api", profile: WRITTEN }, [], ARG).text).status, 0);
    });

    it("refuses a written profile the validator lets through (a rule without its comma)", () => {
        const plan = validateAppArmor(
            { name: "hd-api", profile: WRITTEN.replace("/app/server mrix,", "/app/server mrix") },
            [],
            ARG,
        );
        const r = parse(plan.text);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /AppArmor parser error/);
    });

    it("refuses a written profile with an unknown rule", () => {
        const plan = validateAppArmor(
            { name: "hd-api", profile: WRITTEN.replace("/data/** rwk,", "/data/** rwz,") },
            [],
            ARG,
        );
        assert.notEqual(parse(plan.text).status, 0);
    });
});
