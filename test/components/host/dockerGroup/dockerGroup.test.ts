import * as assert from "node:assert/strict";
import {
    chmodSync,
    copyFileSync,
    existsSync,
    mkdirSync,
    mkdtempSync,
    readFileSync,
    rmSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
    DOCKER_GROUP_DEFAULTS,
    DOCKER_GROUP_MAIN,
    renderDockerGroup,
    validateDockerGroupArgs,
    type DockerGroupArgs,
} from "../../../../components/host/dockerGroup";
import { prelude } from "../../../../components/host/shell";
import { assertCleanScript, CTX, needTool, run, runFunctions } from "../stepHarness";

function step(args?: DockerGroupArgs) {
    return renderDockerGroup(validateDockerGroupArgs(args, CTX), CTX);
}

describe("validateDockerGroupArgs", () => {
    it("trusts nobody by default", () => {
        assert.deepEqual(validateDockerGroupArgs(undefined, CTX), { trustedUsers: [] });
        assert.deepEqual(validateDockerGroupArgs({}, CTX), { trustedUsers: [] });
        assert.ok(Object.isFrozen(DOCKER_GROUP_DEFAULTS) && Object.isFrozen(DOCKER_GROUP_DEFAULTS.trustedUsers));
    });

    it("sorts the trusted users", () => {
        assert.deepEqual(validateDockerGroupArgs({ trustedUsers: ["deploy", "_ci", "alice"] }, CTX), {
            trustedUsers: ["_ci", "alice", "deploy"],
        });
    });

    const BAD: [title: string, args: unknown, message: string][] = [
        ["not an object", "deploy", "args.dockerGroup must be an object with the fields trustedUsers"],
        [
            "an unknown field",
            { members: ["deploy"] },
            "args.dockerGroup.members is not an argument of the docker-group step; allowed: trustedUsers",
        ],
        [
            "a string",
            { trustedUsers: "deploy" },
            'args.dockerGroup.trustedUsers must be a list of user names, such as ["deploy"]',
        ],
        [
            "an upper-case name",
            { trustedUsers: ["Deploy"] },
            'args.dockerGroup.trustedUsers[0] must be a user name of [a-z0-9_-] starting with a letter or _, at most 32 characters, got "Deploy"',
        ],
        [
            "a name with a shell character",
            { trustedUsers: ["alice", "bob;id"] },
            'args.dockerGroup.trustedUsers[1] must be a user name of [a-z0-9_-] starting with a letter or _, at most 32 characters, got "bob;id"',
        ],
        [
            "a name of 33 characters",
            { trustedUsers: ["a".repeat(33)] },
            `args.dockerGroup.trustedUsers[0] must be a user name of [a-z0-9_-] starting with a letter or _, at most 32 characters, got "${"a".repeat(33)}"`,
        ],
        [
            "a uid",
            { trustedUsers: [1000] },
            "args.dockerGroup.trustedUsers[0] must be a user name of [a-z0-9_-] starting with a letter or _, at most 32 characters, got 1000",
        ],
        [
            "root",
            { trustedUsers: ["root"] },
            "args.dockerGroup.trustedUsers[0] is root, which controls Docker without the group; list only other users",
        ],
        ["a repeated user", { trustedUsers: ["alice", "alice"] }, 'args.dockerGroup.trustedUsers[1] repeats "alice"'],
    ];
    for (const [title, args, message] of BAD) {
        it(`rejects ${title}`, () => {
            assert.throws(() => validateDockerGroupArgs(args as DockerGroupArgs, CTX), {
                name: "ArgumentError",
                message,
            });
        });
    }
});

describe("renderDockerGroup", () => {
    it("describes the step", () => {
        const s = step();
        assert.deepEqual(
            { id: s.id, title: s.title, cis: s.cis, files: s.files, secret: s.secret },
            {
                id: "docker-group",
                title: "The docker group exists and has no members: only root controls Docker",
                cis: ["1.1.2"],
                files: [],
                secret: false,
            },
        );
        assert.equal(
            step({ trustedUsers: ["deploy", "alice"] }).title,
            "The docker group exists and its members are exactly: alice, deploy",
        );
    });

    it("carries the sorted list after the prelude and ends with its main", () => {
        const script = step({ trustedUsers: ["deploy", "alice"] }).script;
        assert.ok(
            script.startsWith(
                `${prelude("docker-group")}\n# The users who may control Docker (args.dockerGroup.trustedUsers), sorted.\nDOCKER_GROUP_TRUSTED=(alice deploy)\n`,
            ),
        );
        assert.ok(step().script.includes("\nDOCKER_GROUP_TRUSTED=()\n"));
        assert.ok(script.endsWith("\ndocker_group_main\n"));
    });

    for (const [title, args] of [
        ["nobody trusted", undefined],
        ["two trusted users", { trustedUsers: ["alice", "deploy"] }],
    ] as [string, DockerGroupArgs | undefined][]) {
        it(`passes bash -n and shellcheck with ${title}`, function () {
            assertCleanScript(this, step(args).script);
        });
    }
});

/** Fake getent, groupadd and gpasswd over $FAKE_GROUP and $FAKE_PASSWD; each logs its command line. */
const FAKES: Record<string, string> = {
    getent: `#!/bin/bash
printf 'getent %s\\n' "$*" >>"$FAKE_LOG"
db=$FAKE_GROUP; [ "$1" = passwd ] && db=$FAKE_PASSWD
if [ $# -eq 1 ]; then cat "$db"; exit 0; fi
while IFS= read -r line; do
    if [ "\${line%%:*}" = "$2" ]; then printf '%s\\n' "$line"; exit 0; fi
done <"$db"
exit 2
`,
    groupadd: `#!/bin/bash
printf 'groupadd %s\\n' "$*" >>"$FAKE_LOG"
printf '%s:x:999:\\n' "$2" >>"$FAKE_GROUP"
`,
    gpasswd: `#!/bin/bash
# gpasswd -a|-d USER GROUP: edits the member list of GROUP in $FAKE_GROUP.
printf 'gpasswd %s\\n' "$*" >>"$FAKE_LOG"
out=""
while IFS=: read -r name pw gid members; do
    if [ "$name" = "$3" ]; then
        IFS=, read -ra list <<<"$members"
        new=()
        for m in "\${list[@]}"; do [ "$m" = "$2" ] || new+=("$m"); done
        [ "$1" = -a ] && new+=("$2")
        members=$(IFS=,; printf '%s' "\${new[*]}")
    fi
    out+="$name:$pw:$gid:$members"$'\\n'
done <"$FAKE_GROUP"
printf '%s' "$out" >"$FAKE_GROUP"
[ "$1" = -a ] && echo "Adding user $2 to group $3"
[ "$1" = -d ] && echo "Removing user $2 from group $3"
exit 0
`,
};

const PASSWD = [
    "root:x:0:0:root:/root:/bin/bash",
    "alice:x:1000:1000::/home/alice:/bin/bash",
    "deploy:x:1001:1001::/home/deploy:/bin/bash",
    "eve:x:1002:1002::/home/eve:/bin/bash",
    "mallory:x:1003:1003::/home/mallory:/bin/bash",
];

describe("the docker-group script, with stand-ins for getent, groupadd and gpasswd", () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "hd-docker-group-"));
        mkdirSync(join(dir, "bin"));
        for (const [name, text] of Object.entries(FAKES)) {
            writeFileSync(join(dir, "bin", name), text);
            chmodSync(join(dir, "bin", name), 0o755);
        }
        env = {
            ...process.env,
            PATH: `${join(dir, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
            FAKE_GROUP: join(dir, "group"),
            FAKE_PASSWD: join(dir, "passwd"),
            FAKE_LOG: join(dir, "log"),
        };
        writeFileSync(join(dir, "passwd"), `${PASSWD.join("\n")}\n`);
        writeFileSync(join(dir, "log"), "");
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const main = (args?: DockerGroupArgs) => runFunctions(step(args).script, DOCKER_GROUP_MAIN, DOCKER_GROUP_MAIN, env);
    const log = () =>
        readFileSync(join(dir, "log"), "utf8")
            .split("\n")
            .filter((l) => l !== "");
    const group = () => readFileSync(join(dir, "group"), "utf8");

    it("adds the missing trusted user and removes the extra members, then verifies; a second run changes nothing", () => {
        writeFileSync(join(dir, "group"), "root:x:0:\ndocker:x:998:eve,alice,mallory\n");
        const first = main({ trustedUsers: ["deploy", "alice"] });
        assert.deepEqual(first, {
            status: 0,
            stdout: [
                "hardened-docker[docker-group]: changed: added deploy to the docker group",
                "hardened-docker[docker-group]: changed: removed eve from the docker group (not in args.dockerGroup.trustedUsers)",
                "hardened-docker[docker-group]: changed: removed mallory from the docker group (not in args.dockerGroup.trustedUsers)",
                "",
            ].join("\n"),
            stderr: "",
        });
        assert.deepEqual(log(), [
            "getent passwd alice",
            "getent passwd deploy",
            "getent group docker",
            "getent group docker",
            "gpasswd -a deploy docker",
            "gpasswd -d eve docker",
            "gpasswd -d mallory docker",
            "getent group docker",
            "getent passwd",
            "getent group docker",
        ]);
        assert.equal(group(), "root:x:0:\ndocker:x:998:alice,deploy\n");

        writeFileSync(join(dir, "log"), "");
        assert.deepEqual(main({ trustedUsers: ["deploy", "alice"] }), { status: 0, stdout: "", stderr: "" });
        assert.deepEqual(log(), [
            "getent passwd alice",
            "getent passwd deploy",
            "getent group docker",
            "getent group docker",
            "getent group docker",
            "getent passwd",
            "getent group docker",
        ]);
    });

    it("creates a missing group as a system group, with no members by default", () => {
        writeFileSync(join(dir, "group"), "root:x:0:\n");
        assert.deepEqual(main(), {
            status: 0,
            stdout: "hardened-docker[docker-group]: changed: created the docker group\n",
            stderr: "",
        });
        assert.deepEqual(log(), [
            "getent group docker",
            "groupadd -r docker",
            "getent group docker",
            "getent group docker",
            "getent passwd",
            "getent group docker",
        ]);
        assert.equal(group(), "root:x:0:\ndocker:x:999:\n");
    });

    it("empties the group when nobody is trusted", () => {
        writeFileSync(join(dir, "group"), "docker:x:998:admin\n");
        writeFileSync(join(dir, "passwd"), `${PASSWD.join("\n")}\nadmin:x:1004:1004::/home/admin:/bin/bash\n`);
        assert.deepEqual(main(), {
            status: 0,
            stdout: "hardened-docker[docker-group]: changed: removed admin from the docker group (not in args.dockerGroup.trustedUsers)\n",
            stderr: "",
        });
        assert.equal(group(), "docker:x:998:\n");
    });

    it("stops before changing anything when a listed user does not exist", () => {
        writeFileSync(join(dir, "group"), "docker:x:998:eve\n");
        assert.deepEqual(main({ trustedUsers: ["alice", "ghost"] }), {
            status: 1,
            stdout: "",
            stderr: "hardened-docker[docker-group]: error: user ghost (args.dockerGroup.trustedUsers) does not exist on this host\n",
        });
        assert.deepEqual(log(), ["getent passwd alice", "getent passwd ghost"]);
        assert.equal(group(), "docker:x:998:eve\n");
    });

    it("refuses an untrusted user whose primary group is docker", () => {
        writeFileSync(join(dir, "group"), "docker:x:998:\n");
        writeFileSync(join(dir, "passwd"), `${PASSWD.join("\n")}\nbob:x:1005:998::/home/bob:/bin/bash\n`);
        assert.deepEqual(main({ trustedUsers: ["alice"] }), {
            status: 1,
            stdout: "hardened-docker[docker-group]: changed: added alice to the docker group\n",
            stderr: "hardened-docker[docker-group]: error: user bob has docker as its primary group, which gives it the Docker socket: give it another primary group, or list it in args.dockerGroup.trustedUsers\n",
        });
    });

    it("accepts a trusted user whose primary group is docker", () => {
        writeFileSync(join(dir, "group"), "docker:x:998:\n");
        writeFileSync(join(dir, "passwd"), `${PASSWD.join("\n")}\nbob:x:1005:998::/home/bob:/bin/bash\n`);
        assert.equal(main({ trustedUsers: ["bob"] }).status, 0);
        assert.equal(group(), "docker:x:998:bob\n");
    });

    it("fails the check when the members do not end up as listed", () => {
        writeFileSync(join(dir, "group"), "docker:x:998:alice\n");
        // A gpasswd that reports success and changes nothing.
        writeFileSync(join(dir, "bin", "gpasswd"), "#!/bin/bash\nexit 0\n");
        assert.deepEqual(main({ trustedUsers: ["deploy"] }), {
            status: 1,
            stdout: [
                "hardened-docker[docker-group]: changed: added deploy to the docker group",
                "hardened-docker[docker-group]: changed: removed alice from the docker group (not in args.dockerGroup.trustedUsers)",
                "",
            ].join("\n"),
            stderr: 'hardened-docker[docker-group]: error: the docker group\'s members are "alice", expected "deploy"\n',
        });
    });
});

describe("the docker-group script with the real getent, groupadd and gpasswd", () => {
    let dir: string;
    beforeEach(function () {
        // A private mount namespace with a synthetic /etc bound over the real one: the host's own
        // users and groups are never touched.
        needTool(this, "unshare", ["-m", "true"], "util-linux (and root)");
        dir = mkdtempSync(join(tmpdir(), "hd-docker-group-etc-"));
        mkdirSync(join(dir, "etc"));
        for (const name of ["login.defs", "ld.so.cache"]) {
            if (existsSync(`/etc/${name}`)) {
                copyFileSync(`/etc/${name}`, join(dir, "etc", name));
            }
        }
        writeFileSync(join(dir, "etc/nsswitch.conf"), "passwd: files\ngroup: files\nshadow: files\ngshadow: files\n");
        writeFileSync(join(dir, "etc/passwd"), `${PASSWD.join("\n")}\n`);
    });
    afterEach(() => {
        if (dir !== undefined) {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    const inNamespace = (args?: DockerGroupArgs) =>
        run(
            "unshare",
            ["-m", "bash", "-c", 'mount --bind "$1" /etc && exec bash -s', "_", join(dir, "etc")],
            step(args).script,
        );

    it("syncs the members in /etc/group and /etc/gshadow; a second run changes nothing", () => {
        writeFileSync(join(dir, "etc/group"), "root:x:0:\ndocker:x:998:eve,alice\n");
        writeFileSync(join(dir, "etc/gshadow"), "root:*::\ndocker:!::eve,alice\n", { mode: 0o640 });
        assert.deepEqual(inNamespace({ trustedUsers: ["alice", "deploy"] }), {
            status: 0,
            stdout: [
                "hardened-docker[docker-group]: changed: added deploy to the docker group",
                "hardened-docker[docker-group]: changed: removed eve from the docker group (not in args.dockerGroup.trustedUsers)",
                "",
            ].join("\n"),
            stderr: "",
        });
        assert.equal(readFileSync(join(dir, "etc/group"), "utf8"), "root:x:0:\ndocker:x:998:alice,deploy\n");
        assert.equal(readFileSync(join(dir, "etc/gshadow"), "utf8"), "root:*::\ndocker:!::alice,deploy\n");
        assert.deepEqual(inNamespace({ trustedUsers: ["alice", "deploy"] }), { status: 0, stdout: "", stderr: "" });
    });

    it("creates the group as a system group", () => {
        writeFileSync(join(dir, "etc/group"), "root:x:0:\n");
        writeFileSync(join(dir, "etc/gshadow"), "root:*::\n", { mode: 0o640 });
        assert.deepEqual(inNamespace(), {
            status: 0,
            stdout: "hardened-docker[docker-group]: changed: created the docker group\n",
            stderr: "",
        });
        assert.match(readFileSync(join(dir, "etc/group"), "utf8"), /^root:x:0:\ndocker:x:(\d{1,3}):\n$/);
    });
});
