// The ssh step's script, run for real: in a private mount and network namespace where /etc/ssh,
// /etc/passwd, /etc/group, /etc/shadow, /root and /run are copies in a temporary directory, against
// a real sshd started from Debian's stock configuration. Nothing outside the temporary directory
// changes. Needs root, unshare (util-linux), ip (iproute2), openssh-server and openssh-client.
// HD_KEEP_SSH_TEST=1 keeps the temporary directory (scripts, results, sshd.log) for a post-mortem.
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
    renderSsh,
    renderSshDropIn,
    renderSshIdleDropIn,
    validateSshArgs,
    type SshArgs,
} from "../../../../components/host/ssh";
import type { HostContext } from "../../../../components/host/step";
import { CTX, have, requireTool, run } from "./fixtures";

const STOCK_CONFIG = "/usr/share/openssh/sshd_config";
const INCLUDE = "Include /etc/ssh/sshd_config.d/*.conf";

/** Lays out the fake host under $1: Debian's stock sshd_config, a cloud-init drop-in that turns
 * passwords on, a 2048-bit RSA and an ECDSA host key (no Ed25519), users with and without keys. */
const PREPARE = String.raw`set -euo pipefail
T=$1
# The users' homes are under T: sshd reads authorized_keys as the user, who must reach them.
chmod 755 "$T"
mkdir -p "$T/etc-ssh/sshd_config.d" "$T/home/deploy/.ssh" "$T/home/nokeys" "$T/root/.ssh" "$T/client" "$T/results"
cp /usr/share/openssh/sshd_config "$T/etc-ssh/sshd_config"
cp /etc/ssh/moduli "$T/etc-ssh/moduli"
printf 'PasswordAuthentication yes\n' >"$T/etc-ssh/sshd_config.d/50-cloud-init.conf"
ssh-keygen -q -t rsa -b 2048 -N '' -f "$T/etc-ssh/ssh_host_rsa_key"
ssh-keygen -q -t ecdsa -N '' -f "$T/etc-ssh/ssh_host_ecdsa_key"
ssh-keygen -q -t ed25519 -N '' -f "$T/client/id_ed25519"
cp /etc/passwd "$T/passwd"
cp /etc/group "$T/group"
cp /etc/shadow "$T/shadow"
printf 'deploy:x:4242:4242::%s:/bin/bash\nnokeys:x:4243:4243::%s:/bin/bash\n' "$T/home/deploy" "$T/home/nokeys" >>"$T/passwd"
printf 'deploy:x:4242:\nnokeys:x:4243:\nops:x:4244:deploy\nnobodyin:x:4245:\n' >>"$T/group"
printf 'deploy:*:19000:0:99999:7:::\nnokeys:*:19000:0:99999:7:::\n' >>"$T/shadow"
cp "$T/client/id_ed25519.pub" "$T/home/deploy/.ssh/authorized_keys"
cp "$T/client/id_ed25519.pub" "$T/root/.ssh/authorized_keys"
chown -R 4242:4242 "$T/home/deploy"
chown -R 4243:4243 "$T/home/nokeys"
chmod 700 "$T/home/deploy/.ssh" "$T/root/.ssh"
chmod 600 "$T/home/deploy/.ssh/authorized_keys"
`;

/** Enters the namespaces and mounts the fake host over the real paths, then runs the scenario. */
const ENTER = String.raw`set -euo pipefail
T=$1
ip link set lo up
mount --bind "$T/etc-ssh" /etc/ssh
for f in passwd group shadow; do mount --bind "$T/$f" "/etc/$f"; done
mount --bind "$T/root" /root
mount -t tmpfs tmpfs /run
mkdir -p /run/sshd
exec bash "$T/scenario.sh" "$T"
`;

/** The scenario: each step's output, exit status and a copy of /etc/ssh go to $T/results. */
const SCENARIO = String.raw`set -uo pipefail
T=$1
R=$T/results
sshc() {
    ssh -F none -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
        -o LogLevel=ERROR -o ConnectTimeout=5 -i "$T/client/id_ed25519" -p 22 "$@"
}
trap 'if [ -s /run/sshd.pid ]; then kill "$(cat /run/sshd.pid)" 2>/dev/null; fi' EXIT
login() {
    local name=$1 user=$2
    shift 2
    sshc "$@" "$user@127.0.0.1" 'echo logged-in' >"$R/$name" 2>&1
    echo "rc=$?" >>"$R/$name"
}
# As the deployment runs it: bash -s with the script on stdin.
step() {
    bash -s <"$T/$1.sh" >"$R/$2.out" 2>"$R/$2.err"
    echo "$?" >"$R/$2.rc"
    rm -rf "$R/$2.etc"
    cp -a /etc/ssh "$R/$2.etc"
}

/usr/sbin/sshd -E "$T/sshd.log"
login before-deploy deploy
login before-root root
sshc deploy@127.0.0.1 'sleep 5; echo survived' >"$R/long" 2>&1 &
long=$!
sleep 1

# A: the defaults, twice.
step default a1
step default a2
login after-deploy deploy
login after-root root
login after-password deploy -o PubkeyAuthentication=no -o PreferredAuthentications=password,keyboard-interactive
ssh-keyscan -p 22 127.0.0.1 >"$R/keyscan" 2>/dev/null
wait "$long"
echo "rc=$?" >>"$R/long"
if [ -e /run/hardened-docker/ssh-reload-pending ]; then echo yes >"$R/pending"; else echo no >"$R/pending"; fi

# B: a connection user without a key is refused before anything changes.
step nokeys b

# C: a drop-in that sorts before ours turns passwords back on: refused, nothing activated.
printf 'PasswordAuthentication yes\n' >/etc/ssh/sshd_config.d/00-aaa.conf
step default c
rm -f /etc/ssh/sshd_config.d/00-aaa.conf
# C2: a drop-in sshd rejects: sshd's error, nothing activated.
printf 'NoSuchOption yes\n' >/etc/ssh/sshd_config.d/40-bad.conf
step default c2
rm -f /etc/ssh/sshd_config.d/40-bad.conf

# D1: a main file without the Include gets it as its first line.
grep -vxF '${INCLUDE}' /usr/share/openssh/sshd_config >/etc/ssh/sshd_config
cp /etc/ssh/sshd_config "$R/d1.input"
step default d1
step default d1b
# D2: an Include that comes after a keyword of ours moves to the first line.
rm -f /etc/ssh/sshd_config.hd-backup
{ echo 'PasswordAuthentication yes'; cat /usr/share/openssh/sshd_config; } >/etc/ssh/sshd_config
cp /etc/ssh/sshd_config "$R/d2.input"
step default d2
step default d2b
login after-d2-deploy deploy
login after-d2-password deploy -o PubkeyAuthentication=no -o PreferredAuthentications=password,keyboard-interactive

# E: groups only. deploy is in ops, and in none of nobodyin.
step groups e1
login after-e1-deploy deploy
step othergroups e2

# F: a one-minute idle timeout closes an idle interactive shell, and no silent command.
step idle f
mkfifo "$T/fifo"
sleep 100 >"$T/fifo" &
feeder=$!
start=$SECONDS
sshc -tt deploy@127.0.0.1 <"$T/fifo" >/dev/null 2>&1 &
shell=$!
sshc deploy@127.0.0.1 'sleep 75; echo command-survived' >"$R/idle-command" 2>&1 &
command=$!
wait "$shell"
echo "$((SECONDS - start))" >"$R/idle-shell-seconds"
wait "$command"
echo "rc=$?" >>"$R/idle-command"
kill "$feeder" 2>/dev/null
wait "$feeder" 2>/dev/null
exit 0
`;

type Tree = Map<string, { mode: string; content: string }>;

/** Every file under a directory, with its mode and content. */
function readTree(dir: string, prefix = ""): Tree {
    const tree: Tree = new Map();
    for (const name of readdirSync(join(dir, prefix)).sort()) {
        const rel = prefix === "" ? name : `${prefix}/${name}`;
        const st = statSync(join(dir, rel));
        if (st.isDirectory()) {
            for (const [k, v] of readTree(dir, rel)) {
                tree.set(k, v);
            }
        } else {
            tree.set(rel, {
                mode: (st.mode & 0o7777).toString(8),
                content: readFileSync(join(dir, rel), "latin1"),
            });
        }
    }
    return tree;
}

function scripts(): Record<string, [SshArgs | undefined, HostContext]> {
    return {
        default: [undefined, CTX],
        nokeys: [undefined, { ...CTX, connectionUser: "nokeys" }],
        groups: [{ allowGroups: ["ops"] }, CTX],
        othergroups: [{ allowGroups: ["nobodyin"] }, CTX],
        idle: [{ idleTimeoutMinutes: 1 }, CTX],
    };
}

function missing(): string | undefined {
    if (process.getuid?.() !== 0) {
        return "root (to create mount and network namespaces)";
    }
    for (const [cmd, pkg] of [
        ["/usr/sbin/sshd", "openssh-server"],
        ["ssh", "openssh-client"],
        ["ssh-keygen", "openssh-client"],
        ["ssh-keyscan", "openssh-client"],
        ["ip", "iproute2"],
        ["unshare", "util-linux"],
    ]) {
        if (!have(cmd)) {
            return `${cmd} (apt-get install ${pkg})`;
        }
    }
    for (const file of [STOCK_CONFIG, "/etc/ssh/moduli"]) {
        if (!existsSync(file)) {
            return `${file} (apt-get install openssh-server)`;
        }
    }
    if (run("unshare", ["-m", "-n", "true"]).status !== 0) {
        return "permission to create mount and network namespaces";
    }
    return undefined;
}

describe("the ssh step's script on a real sshd (private namespaces)", function () {
    this.timeout(300000);
    let T: string;
    let R: string;
    // ssh ends its own messages with CRLF.
    const text = (name: string) => readFileSync(join(R, name), "utf8").replace(/\r\n/g, "\n");
    const etc = (step: string) => readTree(join(R, `${step}.etc`));
    const rendered = (name: keyof ReturnType<typeof scripts>) => {
        const [args, ctx] = scripts()[name];
        const plan = validateSshArgs(args, ctx);
        return { dropIn: renderSshDropIn(plan, ctx), idle: renderSshIdleDropIn(plan) };
    };

    before(function () {
        const why = missing();
        requireTool(this, why === undefined, why ?? "");
        T = mkdtempSync(join(tmpdir(), "hd-ssh-script-"));
        R = join(T, "results");
        for (const [name, [args, ctx]] of Object.entries(scripts())) {
            writeFileSync(join(T, `${name}.sh`), renderSsh(validateSshArgs(args, ctx), ctx).script);
        }
        writeFileSync(join(T, "scenario.sh"), SCENARIO);
        const prepared = run("bash", ["-c", PREPARE, "prepare", T]);
        assert.equal(prepared.status, 0, prepared.output);
        const r = run("unshare", ["-m", "-n", "--propagation", "private", "bash", "-c", ENTER, "enter", T], "", 280000);
        assert.equal(r.status, 0, r.output);
    });
    after(() => {
        if (T !== undefined && process.env.HD_KEEP_SSH_TEST === undefined) {
            rmSync(T, { recursive: true, force: true });
        }
    });

    it("logs in with the key before hardening, as deploy and as root", () => {
        assert.equal(text("before-deploy"), "logged-in\nrc=0\n");
        assert.equal(text("before-root"), "logged-in\nrc=0\n");
    });

    it("hardens on the first run and reports each change", () => {
        assert.equal(text("a1.rc"), "0\n");
        assert.equal(text("a1.err"), "");
        assert.match(
            text("a1.out"),
            new RegExp(
                `^${[
                    "hardened-docker\\[ssh\\]: changed: created /etc/ssh/ssh_host_ed25519_key",
                    "hardened-docker\\[ssh\\]: changed: /etc/ssh/ssh_host_rsa_key is a new 4096-bit key \\(was 2048 bits\\); clients that pinned the old RSA host key must update known_hosts",
                    "hardened-docker\\[ssh\\]: changed: /etc/ssh/sshd_config.d/00-hardened-docker.conf",
                    "hardened-docker\\[ssh\\]: changed: /etc/ssh/sshd_config.d/01-hardened-docker-idle.conf",
                    "hardened-docker\\[ssh\\]: changed: removed /etc/ssh/ssh_host_ecdsa_key",
                    "hardened-docker\\[ssh\\]: changed: removed /etc/ssh/ssh_host_ecdsa_key.pub",
                    "hardened-docker\\[ssh\\]: changed: /etc/ssh/moduli",
                    "hardened-docker\\[ssh\\]: reloaded sshd \\(SIGHUP to pid [0-9]+\\)",
                ].join("\n")}\n$`,
            ),
        );
    });

    it("installs the drop-ins as rendered and leaves the stock main file and cloud-init's drop-in alone", () => {
        const tree = etc("a1");
        const want = rendered("default");
        assert.deepEqual(tree.get("sshd_config.d/00-hardened-docker.conf"), { mode: "600", content: want.dropIn });
        assert.deepEqual(tree.get("sshd_config.d/01-hardened-docker-idle.conf"), { mode: "600", content: want.idle });
        assert.deepEqual(tree.get("sshd_config.d/50-cloud-init.conf")?.content, "PasswordAuthentication yes\n");
        assert.equal(tree.get("sshd_config")?.content, readFileSync(STOCK_CONFIG, "utf8"));
        assert.equal(tree.has("sshd_config.hd-backup"), false);
    });

    it("keeps Ed25519 and a 4096-bit RSA host key, and removes ECDSA", () => {
        const tree = etc("a1");
        assert.deepEqual(
            [...tree.keys()].filter((k) => k.startsWith("ssh_host_")),
            ["ssh_host_ed25519_key", "ssh_host_ed25519_key.pub", "ssh_host_rsa_key", "ssh_host_rsa_key.pub"],
        );
        const bits = run("ssh-keygen", ["-l", "-f", join(R, "a1.etc", "ssh_host_rsa_key.pub")]);
        assert.match(bits.stdout, /^4096 SHA256:/);
        const offered = text("keyscan")
            .split("\n")
            .filter((l) => l !== "" && !l.startsWith("#"))
            .map((l) => l.split(" ")[1])
            .sort();
        assert.deepEqual(offered, ["ssh-ed25519", "ssh-rsa"]);
    });

    it("removes the DH moduli under 3072 bits and keeps the original as a backup", () => {
        const tree = etc("a1");
        const original = readFileSync("/etc/ssh/moduli", "latin1");
        assert.equal(tree.get("moduli.hd-backup")?.content, original);
        const groups = tree
            .get("moduli")!
            .content.split("\n")
            .filter((l) => l !== "" && !l.startsWith("#"));
        assert.ok(groups.length > 0);
        assert.deepEqual(
            groups.filter((l) => Number(l.split(" ")[4]) < 3071),
            [],
        );
        assert.equal(
            groups.length,
            original.split("\n").filter((l) => l !== "" && !l.startsWith("#") && Number(l.split(" ")[4]) >= 3071)
                .length,
        );
    });

    it("changes nothing and prints nothing on the second run", () => {
        assert.equal(text("a2.rc"), "0\n");
        assert.equal(text("a2.out"), "");
        assert.equal(text("a2.err"), "");
        assert.deepEqual(etc("a2"), etc("a1"));
        assert.equal(text("pending"), "no\n");
    });

    it("lets deploy in with its key, and refuses root and passwords (cloud-init's drop-in does not win)", () => {
        assert.equal(text("after-deploy"), "logged-in\nrc=0\n");
        assert.equal(text("after-root"), "root@127.0.0.1: Permission denied (publickey).\nrc=255\n");
        assert.equal(text("after-password"), "deploy@127.0.0.1: Permission denied (publickey).\nrc=255\n");
    });

    it("reloads without ending the session that was open", () => {
        assert.equal(text("long"), "survived\nrc=0\n");
    });

    it("refuses a connection user without a key, before changing anything", () => {
        assert.equal(text("b.rc"), "1\n");
        assert.equal(text("b.out"), "");
        assert.equal(
            text("b.err"),
            `hardened-docker[ssh]: error: nokeys has no usable public key in: ${T}/home/nokeys/.ssh/authorized_keys ${T}/home/nokeys/.ssh/authorized_keys2; this step turns password login off, so add the deployment's key first\n`,
        );
        assert.deepEqual(etc("b"), etc("a2"));
    });

    it("refuses when an earlier drop-in overrides a setting, and activates nothing", () => {
        assert.equal(text("c.rc"), "1\n");
        assert.equal(text("c.out"), "");
        assert.equal(
            text("c.err"),
            "hardened-docker[ssh]: error: sshd's effective configuration for deploy lacks: passwordauthentication no (an earlier drop-in or a Match block overrides them)\n",
        );
        const tree = etc("c");
        tree.delete("sshd_config.d/00-aaa.conf");
        assert.deepEqual(tree, etc("a2"));
    });

    it("refuses with sshd's own error when sshd rejects the configuration, and activates nothing", () => {
        assert.equal(text("c2.rc"), "1\n");
        assert.equal(text("c2.out"), "");
        assert.equal(
            text("c2.err"),
            [
                "hardened-docker[ssh]: error: sshd -t rejects the new configuration, nothing was activated: /etc/ssh/sshd_config.d/40-bad.conf: line 1: Bad configuration option: NoSuchOption",
                "/etc/ssh/sshd_config.d/40-bad.conf: terminating, 1 bad configuration options",
                "",
            ].join("\n"),
        );
        const tree = etc("c2");
        tree.delete("sshd_config.d/40-bad.conf");
        assert.deepEqual(tree, etc("a2"));
    });

    it("adds the Include as the first line of a main file that lacks it, with a backup", () => {
        const input = text("d1.input");
        assert.ok(!input.includes(INCLUDE));
        assert.equal(text("d1.rc"), "0\n");
        assert.match(
            text("d1.out"),
            /^hardened-docker\[ssh\]: changed: \/etc\/ssh\/sshd_config\nhardened-docker\[ssh\]: changed: \/etc\/ssh\/sshd_config includes \/etc\/ssh\/sshd_config.d\/\*.conf first \(previous file: \/etc\/ssh\/sshd_config.hd-backup\)\nhardened-docker\[ssh\]: reloaded sshd \(SIGHUP to pid [0-9]+\)\n$/,
        );
        const tree = etc("d1");
        assert.equal(tree.get("sshd_config")?.content, `${INCLUDE}\n${input}`);
        assert.equal(tree.get("sshd_config.hd-backup")?.content, input);
        assert.equal(text("d1b.rc"), "0\n");
        assert.equal(text("d1b.out"), "");
    });

    it("moves an Include that a conflicting keyword precedes to the first line", () => {
        const input = text("d2.input");
        assert.equal(text("d2.rc"), "0\n");
        const main = etc("d2").get("sshd_config")!.content;
        const stock = readFileSync(STOCK_CONFIG, "utf8");
        assert.equal(
            main,
            `${INCLUDE}\nPasswordAuthentication yes\n${stock
                .split("\n")
                .filter((l) => l !== INCLUDE)
                .join("\n")}`,
        );
        assert.equal(main.split("\n").filter((l) => l === INCLUDE).length, 1);
        assert.equal(etc("d2").get("sshd_config.hd-backup")?.content, input);
        assert.equal(text("d2b.out"), "");
        assert.equal(text("after-d2-deploy"), "logged-in\nrc=0\n");
        assert.equal(text("after-d2-password"), "deploy@127.0.0.1: Permission denied (publickey).\nrc=255\n");
    });

    it("allows by group when the connection user is in one, and refuses when it is in none", () => {
        assert.equal(text("e1.rc"), "0\n");
        assert.equal(etc("e1").get("sshd_config.d/00-hardened-docker.conf")?.content, rendered("groups").dropIn);
        assert.equal(text("after-e1-deploy"), "logged-in\nrc=0\n");
        assert.equal(text("e2.rc"), "1\n");
        assert.equal(
            text("e2.err"),
            "hardened-docker[ssh]: error: deploy is in none of AllowGroups (nobodyin): it would be locked out; add it to one, or name it in allowUsers\n",
        );
        assert.deepEqual(etc("e2"), etc("e1"));
    });

    it("closes an idle interactive shell after the timeout, and no silent command", () => {
        assert.equal(text("f.rc"), "0\n");
        const seconds = Number(text("idle-shell-seconds"));
        console.log(`      (the idle shell ended after ${seconds} s)`);
        assert.ok(seconds >= 55 && seconds <= 80, `the idle shell ended after ${seconds} s`);
        assert.equal(text("idle-command"), "command-survived\nrc=0\n");
    });
});
