import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { embedFile, prelude } from "../../../../components/host/shell";
import type { HostContext } from "../../../../components/host/step";
import {
    renderModuliFilter,
    renderSsh,
    renderSshDropIn,
    renderSshExpected,
    renderSshIdleDropIn,
    sshKeywords,
    validateSshArgs,
    type SshArgs,
} from "../../../../components/host/ssh";
import { CTX, have, requireTool, run } from "./fixtures";

const SSHD = "/usr/sbin/sshd";

/** The drop-in for the defaults and connection user `deploy` on port 22, line by line. */
const DEFAULT_DROPIN = [
    "# Managed by hardened-docker (step ssh, CIS Docker 1.2.1). Edits here are overwritten.",
    "# Named to sort first: sshd keeps the first value it reads for most keywords, and",
    "# /etc/ssh/sshd_config includes sshd_config.d/*.conf before its own settings.",
    "",
    "# Where sshd listens, and its host keys: Ed25519 and RSA of 3072 bits or more; no ECDSA, no DSA.",
    "Port 22",
    "HostKey /etc/ssh/ssh_host_ed25519_key",
    "HostKey /etc/ssh/ssh_host_rsa_key",
    "",
    "# Who may log in, and how: public keys only, never root; deploy (the connection user) always.",
    "AllowUsers deploy",
    "PermitRootLogin no",
    "PubkeyAuthentication yes",
    "AuthenticationMethods publickey",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitEmptyPasswords no",
    "HostbasedAuthentication no",
    "IgnoreRhosts yes",
    "MaxAuthTries 3",
    "LoginGraceTime 30",
    "MaxStartups 10:30:60",
    "MaxSessions 10",
    "",
    "# A client that answers none of 3 probes 300 s apart is dropped (dead peers only:",
    "# a live client answers by itself; idle shells are closed by ChannelTimeout).",
    "ClientAliveInterval 300",
    "ClientAliveCountMax 3",
    "",
    "# No forwarding, no tunnels, no environment from the user's files.",
    "X11Forwarding no",
    "AllowAgentForwarding no",
    "AllowTcpForwarding no",
    "AllowStreamLocalForwarding no",
    "PermitTunnel no",
    "GatewayPorts no",
    "PermitUserEnvironment no",
    "",
    "# Logging, and the algorithms offered (modern only).",
    "LogLevel VERBOSE",
    "UseDNS no",
    "Compression no",
    "KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group-exchange-sha256",
    "Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr",
    "MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,umac-128-etm@openssh.com",
    "HostKeyAlgorithms ssh-ed25519,rsa-sha2-512,rsa-sha2-256",
    "",
].join("\n");

function idleDropIn(minutes: number): string {
    return [
        "# Managed by hardened-docker (step ssh). Installed only where sshd knows these keywords",
        "# (OpenSSH 9.2 or later). ClientAliveInterval alone never ends an idle session.",
        "",
        `# An interactive shell with no traffic for ${minutes} min is closed. Commands (session:command, how`,
        "# deployments run) are not timed out, and keepalive probes do not count as traffic.",
        `ChannelTimeout session:shell=${minutes * 60}`,
        "",
        "# A connection left with no open channel is closed after the same time.",
        `UnusedConnectionTimeout ${minutes * 60}`,
        "",
    ].join("\n");
}

const DEFAULT_EXPECTED = [
    "port 22",
    "hostkey /etc/ssh/ssh_host_ed25519_key",
    "hostkey /etc/ssh/ssh_host_rsa_key",
    "allowusers deploy",
    "permitrootlogin no",
    "pubkeyauthentication yes",
    "authenticationmethods publickey",
    "passwordauthentication no",
    "kbdinteractiveauthentication no",
    "permitemptypasswords no",
    "hostbasedauthentication no",
    "ignorerhosts yes",
    "maxauthtries 3",
    "logingracetime 30",
    "maxstartups 10:30:60",
    "maxsessions 10",
    "clientaliveinterval 300",
    "clientalivecountmax 3",
    "x11forwarding no",
    "allowagentforwarding no",
    "allowtcpforwarding no",
    "allowstreamlocalforwarding no",
    "permittunnel no",
    "gatewayports no",
    "permituserenvironment no",
    "loglevel VERBOSE",
    "usedns no",
    "compression no",
    "kexalgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group-exchange-sha256",
    "ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr",
    "macs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,umac-128-etm@openssh.com",
    "hostkeyalgorithms ssh-ed25519,rsa-sha2-512,rsa-sha2-256",
    "",
].join("\n");

/** Every option changed at once, for the script checks and the real-sshd checks. */
const ALL_OPTIONS: SshArgs = {
    allowUsers: ["alice"],
    allowGroups: ["ops", "docker-admins"],
    maxAuthTries: 2,
    loginGraceTimeSeconds: 20,
    maxSessions: 4,
    maxStartups: "5:50:20",
    idleTimeoutMinutes: 10,
    kexAlgorithms: ["curve25519-sha256", "diffie-hellman-group16-sha512"],
    ciphers: ["aes256-gcm@openssh.com"],
    macs: ["hmac-sha2-256-etm@openssh.com"],
    hostKeyAlgorithms: ["rsa-sha2-512", "ssh-ed25519"],
    banner: "Authorised use only.\nActivity is logged.",
};

function dropIn(args: SshArgs | undefined, ctx: HostContext = CTX): string {
    return renderSshDropIn(validateSshArgs(args, ctx), ctx);
}

describe("renderSshDropIn", () => {
    it("renders the exact drop-in for the defaults", () => {
        assert.equal(dropIn(undefined), DEFAULT_DROPIN);
    });

    it("takes the port and the connection user from the host context", () => {
        const ctx = { ...CTX, connectionUser: "ci", sshPort: 2222 };
        assert.equal(
            dropIn(undefined, ctx),
            DEFAULT_DROPIN.replace("Port 22\n", "Port 2222\n")
                .replace("never root; deploy (the", "never root; ci (the")
                .replace("AllowUsers deploy\n", "AllowUsers ci\n"),
        );
    });

    it("lists allowUsers with the connection user, sorted", () => {
        assert.equal(
            dropIn({ allowUsers: ["zoe", "alice"] }),
            DEFAULT_DROPIN.replace("AllowUsers deploy\n", "AllowUsers alice deploy zoe\n"),
        );
    });

    it("renders AllowGroups alone when only allowGroups is given", () => {
        assert.equal(
            dropIn({ allowGroups: ["sudo", "docker-admins"] }),
            DEFAULT_DROPIN.replace(
                "# Who may log in, and how: public keys only, never root; deploy (the connection user) always.\nAllowUsers deploy\n",
                [
                    "# Who may log in, and how: public keys only, never root; members of AllowGroups, which the",
                    "# script checks include deploy (the connection user).",
                    "AllowGroups docker-admins sudo",
                    "",
                ].join("\n"),
            ),
        );
    });

    it("renders both lists when both are given", () => {
        assert.equal(
            dropIn({ allowUsers: ["alice"], allowGroups: ["ops"] }),
            DEFAULT_DROPIN.replace("AllowUsers deploy\n", "AllowUsers alice deploy\nAllowGroups ops\n"),
        );
    });

    const single: [title: string, args: SshArgs, from: string, to: string][] = [
        ["maxAuthTries", { maxAuthTries: 5 }, "MaxAuthTries 3\n", "MaxAuthTries 5\n"],
        ["loginGraceTimeSeconds", { loginGraceTimeSeconds: 60 }, "LoginGraceTime 30\n", "LoginGraceTime 60\n"],
        ["maxSessions", { maxSessions: 2 }, "MaxSessions 10\n", "MaxSessions 2\n"],
        ["maxStartups", { maxStartups: "3:50:10" }, "MaxStartups 10:30:60\n", "MaxStartups 3:50:10\n"],
        [
            "kexAlgorithms",
            { kexAlgorithms: ["diffie-hellman-group18-sha512", "curve25519-sha256"] },
            "KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group-exchange-sha256\n",
            "KexAlgorithms diffie-hellman-group18-sha512,curve25519-sha256\n",
        ],
        [
            "ciphers",
            { ciphers: ["aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com"] },
            "Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr\n",
            "Ciphers aes128-gcm@openssh.com,chacha20-poly1305@openssh.com\n",
        ],
        [
            "macs",
            { macs: ["umac-128-etm@openssh.com"] },
            "MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,umac-128-etm@openssh.com\n",
            "MACs umac-128-etm@openssh.com\n",
        ],
        [
            "hostKeyAlgorithms",
            { hostKeyAlgorithms: ["ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519"] },
            "HostKeyAlgorithms ssh-ed25519,rsa-sha2-512,rsa-sha2-256\n",
            "HostKeyAlgorithms ssh-ed25519-cert-v01@openssh.com,ssh-ed25519\n",
        ],
        [
            "banner",
            { banner: "Authorised use only." },
            "rsa-sha2-256\n",
            "rsa-sha2-256\n\n# Shown before login.\nBanner /etc/ssh/hardened-docker-banner\n",
        ],
    ];
    for (const [title, args, from, to] of single) {
        it(`renders ${title}`, () => {
            assert.ok(DEFAULT_DROPIN.includes(from));
            assert.equal(dropIn(args), DEFAULT_DROPIN.replace(from, to));
        });
    }

    it("never renders a Match block (it would swallow the rest of sshd_config)", () => {
        assert.ok(!/^\s*match\b/im.test(dropIn(ALL_OPTIONS)));
    });
});

describe("renderSshIdleDropIn", () => {
    it("renders the exact idle-timeout drop-in for the default 15 minutes", () => {
        assert.equal(renderSshIdleDropIn(validateSshArgs(undefined, CTX)), idleDropIn(15));
    });

    it("renders another timeout in seconds", () => {
        assert.equal(renderSshIdleDropIn(validateSshArgs({ idleTimeoutMinutes: 30 }, CTX)), idleDropIn(30));
    });
});

describe("renderSshExpected and sshKeywords", () => {
    it("lists the sshd -T lines of every directive, one per allowed name", () => {
        assert.deepEqual(renderSshExpected(validateSshArgs(undefined, CTX), CTX), {
            main: DEFAULT_EXPECTED,
            idle: "channeltimeout session:shell=900\nunusedconnectiontimeout 900\n",
        });
        const both = renderSshExpected(
            validateSshArgs({ allowUsers: ["alice"], allowGroups: ["ops", "adm"] }, CTX),
            CTX,
        );
        assert.ok(both.main.includes("\nallowusers alice\nallowusers deploy\nallowgroups adm\nallowgroups ops\n"));
    });

    it("lists the keywords the drop-ins set, lower case and sorted", () => {
        assert.deepEqual(sshKeywords(validateSshArgs(undefined, CTX), CTX), [
            "allowagentforwarding",
            "allowstreamlocalforwarding",
            "allowtcpforwarding",
            "allowusers",
            "authenticationmethods",
            "channeltimeout",
            "ciphers",
            "clientalivecountmax",
            "clientaliveinterval",
            "compression",
            "gatewayports",
            "hostbasedauthentication",
            "hostkey",
            "hostkeyalgorithms",
            "ignorerhosts",
            "kbdinteractiveauthentication",
            "kexalgorithms",
            "logingracetime",
            "loglevel",
            "macs",
            "maxauthtries",
            "maxsessions",
            "maxstartups",
            "passwordauthentication",
            "permitemptypasswords",
            "permitrootlogin",
            "permittunnel",
            "permituserenvironment",
            "port",
            "pubkeyauthentication",
            "unusedconnectiontimeout",
            "usedns",
            "x11forwarding",
        ]);
    });
});

describe("renderSsh", () => {
    it("describes the step and the files it installs, in order", () => {
        const plan = validateSshArgs(undefined, CTX);
        const step = renderSsh(plan, CTX);
        assert.equal(step.id, "ssh");
        assert.equal(
            step.title,
            "sshd: public-key login only, no root, allowed users only, idle shells closed, modern algorithms",
        );
        assert.deepEqual(step.cis, ["1.2.1"]);
        assert.equal(step.secret, false);
        assert.deepEqual(step.files, [
            {
                path: "/etc/ssh/sshd_config.d/00-hardened-docker.conf",
                mode: "0600",
                owner: "root:root",
                content: DEFAULT_DROPIN,
            },
            {
                path: "/etc/ssh/sshd_config.d/01-hardened-docker-idle.conf",
                mode: "0600",
                owner: "root:root",
                content: idleDropIn(15),
            },
        ]);
    });

    it("installs the banner first when there is one", () => {
        const step = renderSsh(validateSshArgs({ banner: "Authorised use only." }, CTX), CTX);
        assert.deepEqual(
            step.files.map((f) => [f.path, f.mode, f.owner]),
            [
                ["/etc/ssh/hardened-docker-banner", "0644", "root:root"],
                ["/etc/ssh/sshd_config.d/00-hardened-docker.conf", "0600", "root:root"],
                ["/etc/ssh/sshd_config.d/01-hardened-docker-idle.conf", "0600", "root:root"],
            ],
        );
        assert.equal(step.files[0].content, "Authorised use only.\n");
        assert.ok(step.script.includes(`${embedFile("banner", "Authorised use only.\n")}\n`));
        assert.ok(step.script.includes("\nHD_SSH_BANNER=1\n"));
    });

    it("starts with the shared prelude and embeds every file and expectation as rendered", () => {
        const plan = validateSshArgs(undefined, CTX);
        const step = renderSsh(plan, CTX);
        const expected = renderSshExpected(plan, CTX);
        assert.ok(step.script.startsWith(prelude("ssh")));
        assert.ok(step.script.endsWith('rm -f "$PENDING"\n'));
        for (const part of [
            embedFile("dropin.conf", DEFAULT_DROPIN),
            embedFile("idle.conf", idleDropIn(15)),
            embedFile("expected-main", expected.main),
            embedFile("expected-idle", expected.idle),
            "\nHD_SSH_USER='deploy'\n",
            "\nHD_SSH_ALLOW_GROUPS=()\n",
            "\nHD_SSH_BANNER=0\n",
            `\n${renderModuliFilter()}`,
        ]) {
            assert.ok(step.script.includes(part), part);
        }
        assert.ok(!step.script.includes('>"$HD_TMP/banner"'));
    });

    it("names the groups the script checks the connection user against", () => {
        const step = renderSsh(validateSshArgs({ allowGroups: ["ops", "docker-admins"] }, CTX), CTX);
        assert.ok(step.script.includes("\nHD_SSH_ALLOW_GROUPS=('docker-admins' 'ops')\n"));
    });

    it("refuses to render a connection user that was not validated", () => {
        assert.throws(() => renderSsh(validateSshArgs(undefined, CTX), { ...CTX, connectionUser: "x'; reboot" }), {
            name: "ArgumentError",
            message: `args.target.user must be a user name ([a-z_][a-z0-9_.-]*, at most 32 characters), got "x'; reboot"`,
        });
    });

    it("is deterministic", () => {
        const a = renderSsh(validateSshArgs(ALL_OPTIONS, CTX), CTX);
        const b = renderSsh(validateSshArgs({ ...ALL_OPTIONS }, { ...CTX }), CTX);
        assert.deepEqual(a, b);
        for (const f of a.files) {
            assert.ok(f.content.endsWith("\n"), f.path);
        }
    });

    for (const [title, args] of [
        ["the defaults", undefined],
        ["every option", ALL_OPTIONS],
    ] as const) {
        it(`passes bash -n and shellcheck with ${title}`, function () {
            const script = renderSsh(validateSshArgs(args, CTX), CTX).script;
            assert.deepEqual(run("bash", ["-n"], script).output, "");
            assert.equal(run("bash", ["-n"], script).status, 0);
            requireTool(this, have("shellcheck"), "shellcheck (apt-get install shellcheck)");
            const r = run("shellcheck", ["--shell=bash", "--severity=style", "-"], script);
            assert.deepEqual({ status: r.status, output: r.output }, { status: 0, output: "" });
        });
    }
});

describe("the moduli filter (bash, on a real /etc/ssh/moduli)", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "hd-moduli-"));
    });
    afterEach(() => {
        rmSync(dir, { recursive: true, force: true });
    });

    function filter(input: string): { kept: number; output: string } {
        writeFileSync(join(dir, "in"), input);
        const r = run("bash", [
            "-c",
            `set -euo pipefail\n${renderModuliFilter()}hd_ssh_filter_moduli "$1/in" "$1/out"\necho "$HD_SSH_MODULI_KEPT"`,
            "filter",
            dir,
        ]);
        assert.equal(r.status, 0, r.stderr);
        return { kept: Number(r.stdout.trim()), output: readFileSync(join(dir, "out"), "utf8") };
    }

    it("keeps every group of 3072 bits or more and nothing smaller", function () {
        requireTool(this, existsSync("/etc/ssh/moduli"), "/etc/ssh/moduli (apt-get install openssh-server)");
        const original = readFileSync("/etc/ssh/moduli", "utf8");
        const lines = original.split("\n").filter((l) => l !== "");
        const groups = lines.filter((l) => !l.startsWith("#"));
        const big = groups.filter((l) => Number(l.split(/\s+/)[4]) >= 3071);
        assert.ok(groups.length > big.length, "the real file has groups under 3072 bits to remove");
        assert.ok(big.length > 0);

        const { kept, output } = filter(original);
        assert.equal(kept, big.length);
        const outLines = output.split("\n").filter((l) => l !== "");
        assert.deepEqual(
            outLines.filter((l) => !l.startsWith("#")),
            big,
        );
        assert.deepEqual(
            outLines.filter((l) => l.startsWith("#")),
            lines.filter((l) => l.startsWith("#")),
        );
        for (const line of outLines.filter((l) => !l.startsWith("#"))) {
            assert.ok(Number(line.split(/\s+/)[4]) >= 3071, line);
        }
        // Filtering again changes nothing: the step is idempotent.
        assert.equal(filter(output).output, output);
    });

    it("keeps comments and blank lines, drops malformed lines, and counts zero when nothing is left", () => {
        const input = [
            "# Time Type Tests Tries Size Generator Modulus",
            "",
            "20230101000000 2 6 100 2047 2 C0FFEE",
            "20230101000000 2 6 100 3071 5 FACADE",
            "20230101000000 2 6 100 3070 5 BEEF",
            "garbage line",
            "20230101000000 2 6 100 size 5 ABC",
            "20230101000000 2 6 100 8191 2 DECADE",
            "",
        ].join("\n");
        assert.deepEqual(filter(input), {
            kept: 2,
            output: [
                "# Time Type Tests Tries Size Generator Modulus",
                "",
                "20230101000000 2 6 100 3071 5 FACADE",
                "20230101000000 2 6 100 8191 2 DECADE",
                "",
            ].join("\n"),
        });
        assert.deepEqual(filter("# only small\n20230101000000 2 6 100 2047 2 C0FFEE\n"), {
            kept: 0,
            output: "# only small\n",
        });
    });
});

describe("the drop-ins under the real sshd (sshd -t and sshd -T)", function () {
    this.timeout(60000);
    let dir: string;

    before(function () {
        requireTool(this, existsSync(SSHD), `${SSHD} (apt-get install openssh-server)`);
        dir = mkdtempSync(join(tmpdir(), "hd-sshd-"));
        const r = run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "host_key")]);
        assert.equal(r.status, 0, r.output);
    });
    after(() => {
        if (dir !== undefined) {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    /**
     * A tree like Debian's: a main file that includes the drop-in directory first, then sets
     * things of its own, and a cloud-init drop-in that turns passwords back on.
     */
    function tree(name: string, args: SshArgs | undefined, cloudInitName = "50-cloud-init.conf"): string {
        const root = join(dir, name);
        mkdirSync(join(root, "sshd_config.d"), { recursive: true });
        const plan = validateSshArgs(args, CTX);
        writeFileSync(join(root, "sshd_config.d", "00-hardened-docker.conf"), renderSshDropIn(plan, CTX));
        writeFileSync(join(root, "sshd_config.d", "01-hardened-docker-idle.conf"), renderSshIdleDropIn(plan));
        writeFileSync(
            join(root, "sshd_config.d", cloudInitName),
            "PasswordAuthentication yes\nPermitRootLogin yes\nMaxAuthTries 10\n",
        );
        writeFileSync(
            join(root, "sshd_config"),
            [
                `Include ${root}/sshd_config.d/*.conf`,
                "KbdInteractiveAuthentication yes",
                "X11Forwarding yes",
                "UsePAM yes",
                "PrintMotd no",
                "AcceptEnv LANG LC_*",
                "Subsystem sftp /usr/lib/openssh/sftp-server",
                "",
            ].join("\n"),
        );
        return join(root, "sshd_config");
    }

    function effective(main: string): string[] {
        const r = run(SSHD, [
            "-T",
            "-f",
            main,
            "-h",
            join(dir, "host_key"),
            "-C",
            "user=deploy,host=localhost,addr=127.0.0.1",
        ]);
        assert.equal(r.status, 0, r.stderr);
        return r.stdout.split("\n");
    }

    /** sshd -t passes; the only complaints allowed are host keys of this machine that a test cannot read. */
    function assertValid(main: string): void {
        const r = run(SSHD, ["-t", "-f", main, "-h", join(dir, "host_key")]);
        assert.equal(r.status, 0, r.stderr);
        const complaints = r.stderr.split("\n").filter((l) => l !== "" && !/^Unable to load host key/.test(l));
        assert.deepEqual(complaints, []);
    }

    it("passes sshd -t with the defaults and with every option", () => {
        assertValid(tree("defaults", undefined));
        assertValid(tree("options", ALL_OPTIONS));
    });

    it("is in effect as rendered, and a later cloud-init drop-in does not win", () => {
        const lines = effective(tree("effective", undefined));
        const expected = renderSshExpected(validateSshArgs(undefined, CTX), CTX);
        for (const want of `${expected.main}${expected.idle}`.split("\n").filter((l) => l !== "")) {
            assert.ok(lines.includes(want), want);
        }
        for (const want of [
            "passwordauthentication no",
            "permitrootlogin no",
            "kbdinteractiveauthentication no",
            "maxauthtries 3",
            "x11forwarding no",
            "allowusers deploy",
            "channeltimeout session:shell=900",
            "unusedconnectiontimeout 900",
            "clientaliveinterval 300",
        ]) {
            assert.ok(lines.includes(want), want);
        }
        assert.ok(!lines.includes("passwordauthentication yes"));
    });

    it("is in effect with every option", () => {
        const lines = effective(tree("effective-options", ALL_OPTIONS));
        const expected = renderSshExpected(validateSshArgs(ALL_OPTIONS, CTX), CTX);
        for (const want of `${expected.main}${expected.idle}`.split("\n").filter((l) => l !== "")) {
            assert.ok(lines.includes(want), want);
        }
        for (const want of ["allowusers alice", "allowusers deploy", "allowgroups docker-admins", "allowgroups ops"]) {
            assert.ok(lines.includes(want), want);
        }
        assert.ok(lines.includes("banner /etc/ssh/hardened-docker-banner"));
    });

    it("loses to a drop-in that sorts before it (the check the script makes would catch this)", () => {
        const lines = effective(tree("earlier", undefined, "00-aaa.conf"));
        assert.ok(lines.includes("passwordauthentication yes"));
        assert.ok(lines.includes("maxauthtries 10"));
    });
});
