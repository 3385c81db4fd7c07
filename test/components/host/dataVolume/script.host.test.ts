// Runs the real data-volume script against loop devices, as root, inside a private mount and PID
// namespace (unshare) whose /etc is a copy and where systemd is hidden: the script's fstab, drop-in
// and mounts land in the test's temporary directory and vanish with the namespace; Docker running
// on this machine is invisible to it. Needs root, loop devices, util-linux, e2fsprogs, xfsprogs, rsync, attr and acl.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import {
    type DataVolumeArgs,
    DATA_VOLUME_FSTAB_MARK,
    renderDataVolume,
    renderDataVolumeDropIn,
    validateDataVolumeArgs,
} from "../../../../components/host/dataVolume";
import { CTX } from "../stepHarness";

const MIB = 2 ** 20;
const TOOLS = [
    "losetup",
    "unshare",
    "truncate",
    "mkfs.ext4",
    "mkfs.xfs",
    "xfs_info",
    "rsync",
    "setfattr",
    "getfattr",
    "setfacl",
    "getfacl",
    "blkid",
    "wipefs",
    "findmnt",
    "lsblk",
    "blockdev",
    "mknod",
];

function bash(script: string) {
    const r = spawnSync("bash", ["-c", script], { encoding: "utf8", timeout: 120000 });
    if (r.error !== undefined) {
        throw r.error;
    }
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Why the real runs cannot happen here, or undefined when they can. */
function missing(): string | undefined {
    if (process.getuid?.() !== 0) {
        return "root (loop devices and mounts)";
    }
    const absent = TOOLS.filter((t) => bash(`command -v ${t}`).status !== 0);
    if (absent.length > 0) {
        return `${absent.join(", ")} (apt-get install util-linux e2fsprogs xfsprogs rsync attr acl)`;
    }
    if (bash("unshare --mount --pid --fork --mount-proc true").status !== 0) {
        return "unshare --mount --pid (a privileged environment)";
    }
    if (bash("losetup -f").status !== 0) {
        return "a free loop device (/dev/loop-control)";
    }
    return undefined;
}

/** A temporary directory with loop devices; bash runs in a private namespace with /etc copied. */
class Lab {
    readonly dir = mkdtempSync("/tmp/hd-dv-");
    readonly root = `${this.dir}/docker`;
    private readonly loops: string[] = [];

    /** A loop device over a sparse file of `mib` MiB; `prepare` may write into the file first. */
    loop(name: string, mib: number, prepare = ""): string {
        const img = `${this.dir}/${name}.img`;
        const r = bash(`set -e; truncate -s ${mib}M ${img}; ${prepare}\nlosetup -f --show ${img}`);
        assert.equal(r.status, 0, r.stderr);
        const dev = r.stdout.trim();
        this.loops.push(dev);
        return dev;
    }

    write(name: string, content: string): void {
        writeFileSync(`${this.dir}/${name}`, content);
    }

    read(name: string): string {
        return readFileSync(`${this.dir}/${name}`, "utf8");
    }

    /** The output and exit status of a `run_step NAME` inside `ns`. */
    result(name: string): { rc: number; out: string } {
        return { rc: Number(this.read(`${name}.rc`).trim()), out: this.read(`${name}.out`) };
    }

    /** Runs `body` in a private mount and PID namespace with /etc a copy ($W is the directory). */
    ns(body: string): void {
        const prefix = [
            "set -euo pipefail",
            `W=${this.dir}`,
            'cp -a /etc "$W/etc"',
            'mount --bind "$W/etc" /etc',
            // Hide systemd (its socket too): the script must not stop or reload this machine's services.
            "if [ -d /run/systemd ]; then mount -t tmpfs tmpfs /run/systemd; fi",
            'run_step() { local rc=0; bash -s <"$W/$2" >"$W/$1.out" 2>&1 || rc=$?; echo "$rc" >"$W/$1.rc"; }',
            "",
        ].join("\n");
        const r = spawnSync("unshare", ["--mount", "--pid", "--fork", "--mount-proc", "bash", "-c", prefix + body], {
            encoding: "utf8",
            timeout: 300000,
        });
        assert.equal(r.status, 0, `namespace body failed: ${r.stdout}${r.stderr}`);
    }

    cleanup(): void {
        bash(`chattr -i ${this.dir}/etc/fstab 2>/dev/null`);
        // Mounts die with the namespace; unmount anything that leaked before deleting files.
        bash(`findmnt -rn -o TARGET | awk -v p="${this.dir}/" 'index($0, p) == 1' | sort -r | xargs -r -n1 umount -l`);
        for (const dev of this.loops) {
            bash(`losetup -d ${dev}`);
        }
        rmSync(this.dir, { recursive: true, force: true });
    }
}

function script(lab: Lab, device: DataVolumeArgs["device"], extra: Partial<DataVolumeArgs> = {}, minMib = 32): string {
    const ctx = { ...CTX, dataRoot: lab.root };
    const plan = validateDataVolumeArgs({ device, ...extra }, ctx);
    return renderDataVolume({ ...plan, minSizeBytes: minMib * MIB }, ctx).script;
}

const log = (line: string) => `hardened-docker[data-volume]: ${line}`;

/** Prints a tree's names, types, modes, owners, link counts, targets, contents, xattrs and ACLs. */
const MANIFEST = String.raw`
manifest() (
    cd "$1"
    find . -path ./lost+found -prune -o ! -type d -printf '%p %y %#m %U:%G links=%n -> %l\n' | sort
    find . -path ./lost+found -prune -o -type d -printf '%p %y %#m %U:%G\n' | sort
    find . -path ./lost+found -prune -o -type f -print0 | sort -z | xargs -0 sha256sum
    find . -path ./lost+found -prune -o -print0 | sort -z | xargs -0 getfattr -h -d -m - --absolute-names 2>/dev/null
    find . -path ./lost+found -prune -o -print0 | sort -z | xargs -0 getfacl -p --skip-base 2>/dev/null
)
`;

/** A data root like Docker's, with every kind of file a copy can get wrong. */
const TREE = String.raw`
R="$W/docker"
mkdir -p "$R/overlay2/l1/diff/usr/bin" "$R/volumes/v/_data" "$R/containers/c1"
chmod 0710 "$R"
printf 'volume data\n' >"$R/volumes/v/_data/file"
ln "$R/volumes/v/_data/file" "$R/volumes/v/_data/hardlink"
ln -s ../_data/file "$R/volumes/v/_data/symlink"
setfattr -n user.origin -v hardened "$R/volumes/v/_data/file"
setfattr -n trusted.overlay.opaque -v y "$R/overlay2/l1/diff/usr"
setfacl -m u:1234:r "$R/volumes/v/_data/file"
printf '#!/bin/sh\n' >"$R/overlay2/l1/diff/usr/bin/su"
chmod 4755 "$R/overlay2/l1/diff/usr/bin/su"
mknod "$R/overlay2/l1/diff/usr/whiteout" c 0 0
mkfifo "$R/containers/c1/fifo"
dd if=/dev/urandom of="$R/containers/c1/sparse" bs=4096 count=1 seek=4096 status=none
printf '{"log":"x"}\n' >"$R/containers/c1/c1-json.log"
chown -R 100000:100000 "$R/containers/c1"
chmod 0640 "$R/containers/c1/c1-json.log"
`;

describe("the data-volume script on loop devices", function () {
    this.timeout(300000);
    const labs: Lab[] = [];
    const lab = () => {
        const l = new Lab();
        labs.push(l);
        return l;
    };

    before(function () {
        const why = missing();
        if (why !== undefined) {
            if (process.env.REQUIRE_TOOLS === "1") {
                throw new Error(`the data-volume script tests need ${why}`);
            }
            this.skip();
        }
    });

    afterEach(() => {
        for (const l of labs.splice(0)) {
            l.cleanup();
        }
    });

    it("formats a blank device, mounts it at the data root, and changes nothing on the second run", () => {
        const l = lab();
        const dev = l.loop("blank", 64);
        l.write("step.sh", script(l, { path: dev }));
        l.ns(`
run_step first step.sh
run_step second step.sh
findmnt -n -r -o SOURCE,FSTYPE --mountpoint "$W/docker" >"$W/mount.txt"
findmnt -n -r -o OPTIONS --mountpoint "$W/docker" | tr ',' '\\n' | sort >"$W/options.txt"
stat -c '%a %U:%G' "$W/docker" >"$W/mode.txt"
cp /etc/fstab "$W/fstab.txt"
cp /etc/systemd/system/docker.service.d/10-hardened-docker-data-root.conf "$W/dropin.txt"
blkid -p -s UUID -o value ${dev} >"$W/uuid.txt"
blkid -p -s LABEL -o value ${dev} >"$W/label.txt"
ls -d /run/hardened-docker-data.* 2>/dev/null >"$W/leftovers.txt" || true
`);
        const first = l.result("first");
        assert.deepEqual(first, {
            rc: 0,
            out: [
                log(`changed: formatting blank ${dev} as ext4 (label docker-data)`),
                log(`changed: /etc/fstab mounts ${l.root} by UUID`),
                log(`changed: ${l.root} is now on ${dev}`),
                log("changed: /etc/systemd/system/docker.service.d/10-hardened-docker-data-root.conf"),
                "",
            ].join("\n"),
        });
        assert.deepEqual(l.result("second"), { rc: 0, out: "" });
        assert.equal(l.read("mount.txt"), `${dev} ext4\n`);
        for (const option of ["nodev", "noatime", "nosuid"]) {
            assert.ok(l.read("options.txt").split("\n").includes(option), option);
        }
        assert.equal(l.read("mode.txt"), "710 root:root\n");
        assert.equal(l.read("label.txt"), "docker-data\n");
        const uuid = l.read("uuid.txt").trim();
        assert.equal(
            l.read("fstab.txt"),
            `${readFileSync("/etc/fstab", "utf8")}${DATA_VOLUME_FSTAB_MARK}\n` +
                `UUID=${uuid} ${l.root} ext4 nodev,nosuid,noatime,nofail,x-systemd.device-timeout=30s 0 2\n`,
        );
        assert.equal(
            l.read("dropin.txt"),
            renderDataVolumeDropIn({
                ...validateDataVolumeArgs({ device: { path: dev } }, { ...CTX, dataRoot: l.root }),
            }),
        );
        assert.equal(l.read("leftovers.txt"), "");
    });

    it("never formats a device that has a filesystem: its files become the data root", () => {
        const l = lab();
        const dev = l.loop("existing", 64);
        l.write("step.sh", script(l, { path: dev }));
        l.ns(`
mkfs.ext4 -q -L keep ${dev}
mkdir "$W/m" && mount ${dev} "$W/m" && printf 'precious\\n' >"$W/m/precious.txt" && umount "$W/m"
blkid -p -s UUID -o value ${dev} >"$W/uuid-before.txt"
run_step first step.sh
run_step second step.sh
cat "$W/docker/precious.txt" >"$W/precious.txt"
blkid -p -s UUID -o value ${dev} >"$W/uuid-after.txt"
blkid -p -s LABEL -o value ${dev} >"$W/label.txt"
`);
        assert.equal(l.result("first").rc, 0, l.result("first").out);
        assert.ok(!l.result("first").out.includes("formatting"), l.result("first").out);
        assert.deepEqual(l.result("second"), { rc: 0, out: "" });
        assert.equal(l.read("precious.txt"), "precious\n");
        assert.equal(l.read("uuid-after.txt"), l.read("uuid-before.txt"));
        assert.equal(l.read("label.txt"), "keep\n");
    });

    it("moves existing data byte for byte, keeps the old directory, and changes nothing on the second run", () => {
        const l = lab();
        const dev = l.loop("target", 64);
        l.write("step.sh", script(l, { path: dev }));
        l.ns(`${MANIFEST}${TREE}
manifest "$R" >"$W/before.txt"
run_step first step.sh
run_step second step.sh
findmnt -n -r -o SOURCE --mountpoint "$R" >"$W/mount.txt"
manifest "$R" >"$W/after.txt"
ls -d "$R".pre-hardened-docker-* >"$W/backups.txt"
manifest "$(cat "$W/backups.txt")" >"$W/backup.txt"
stat -c '%a %U:%G' "$R" "$(cat "$W/backups.txt")" >"$W/modes.txt"
du -B1 "$R/containers/c1/sparse" | cut -f1 >"$W/sparse-blocks.txt"
stat -c '%s' "$R/containers/c1/sparse" >"$W/sparse-size.txt"
stat -c '%i' "$R/volumes/v/_data/file" "$R/volumes/v/_data/hardlink" >"$W/inodes.txt"
`);
        const first = l.result("first");
        assert.equal(first.rc, 0, first.out);
        const backups = l.read("backups.txt").trim().split("\n");
        assert.equal(backups.length, 1);
        assert.match(backups[0], new RegExp(`^${l.root}\\.pre-hardened-docker-\\d{8}T\\d{6}Z$`));
        assert.deepEqual(first.out.split("\n"), [
            log(`changed: formatting blank ${dev} as ext4 (label docker-data)`),
            log(`copying ${l.root} to ${dev}`),
            log(`changed: /etc/fstab mounts ${l.root} by UUID`),
            log(
                `changed: ${l.root} is now on ${dev} (19 entries, 16781358 bytes copied and verified); the previous data is kept at ${backups[0]}: remove it once Docker runs well`,
            ),
            log("changed: /etc/systemd/system/docker.service.d/10-hardened-docker-data-root.conf"),
            "",
        ]);
        assert.deepEqual(l.result("second"), { rc: 0, out: "" });
        assert.equal(l.read("mount.txt"), `${dev}\n`);
        const before = l.read("before.txt");
        for (const expected of [
            "./overlay2/l1/diff/usr/bin/su f 04755 0:0 links=1",
            "./overlay2/l1/diff/usr/whiteout c 0644 0:0 links=1",
            "./volumes/v/_data/symlink l 0777 0:0 links=1 -> ../_data/file",
            "./volumes/v/_data/file f 0644 0:0 links=2",
            "./containers/c1/fifo p 0644 100000:100000 links=1",
            "./containers/c1/c1-json.log f 0640 100000:100000 links=1",
            'user.origin="hardened"',
            'trusted.overlay.opaque="y"',
            "user:1234:r--",
            ". d 0710 0:0",
        ]) {
            assert.ok(before.includes(expected), `the test tree has ${expected}`);
        }
        assert.equal(l.read("after.txt"), before);
        assert.equal(l.read("backup.txt"), before);
        assert.equal(l.read("modes.txt"), `710 root:root\n710 root:root\n`);
        // 16 MiB apparent, one 4 KiB block of data: the copy stays sparse.
        assert.equal(l.read("sparse-size.txt"), `${4097 * 4096}\n`);
        assert.ok(Number(l.read("sparse-blocks.txt")) <= 65536, l.read("sparse-blocks.txt"));
        const [a, b] = l.read("inodes.txt").trim().split("\n");
        assert.equal(a, b, "the hard link is still one inode");
    });

    it("finishes a copy that an interrupted run left unfinished", () => {
        const l = lab();
        const dev = l.loop("resume", 64);
        l.write("step.sh", script(l, { path: dev }));
        l.ns(`${MANIFEST}${TREE}
mkfs.ext4 -q ${dev}
mkdir "$W/m" && mount ${dev} "$W/m"
: >"$W/m/.hardened-docker-unfinished-copy"
mkdir -p "$W/m/volumes/v/_data" && printf 'half' >"$W/m/volumes/v/_data/file" && printf 'gone' >"$W/m/stale"
umount "$W/m"
manifest "$R" >"$W/before.txt"
run_step first step.sh
manifest "$R" >"$W/after.txt"
ls -A "$R" >"$W/top.txt"
`);
        const first = l.result("first");
        assert.equal(first.rc, 0, first.out);
        assert.equal(
            first.out.split("\n")[0],
            log(`${dev} holds an unfinished copy of ${l.root} from an interrupted run: copying again`),
        );
        assert.equal(l.read("after.txt"), l.read("before.txt"));
        assert.equal(l.read("top.txt"), "containers\nlost+found\noverlay2\nvolumes\n");
    });

    it("rolls the data root back when the switch fails", () => {
        const l = lab();
        const dev = l.loop("rollback", 64);
        l.write("step.sh", script(l, { path: dev }));
        l.ns(`${MANIFEST}${TREE}
manifest "$R" >"$W/before.txt"
cp /etc/fstab "$W/fstab-before.txt"
chattr +i /etc/fstab
run_step first step.sh
chattr -i /etc/fstab
manifest "$R" >"$W/after.txt"
cp /etc/fstab "$W/fstab-after.txt"
ls -d "$R".pre-* 2>/dev/null >"$W/backups.txt" || true
findmnt -rn -o TARGET -S ${dev} >"$W/mounts.txt" || true
ls /etc/fstab.hd-new 2>/dev/null >"$W/leftover.txt" || true
`);
        const first = l.result("first");
        assert.equal(first.rc, 1);
        assert.deepEqual(first.out.split("\n").slice(-2), [
            log(`error: mounting ${dev} at ${l.root} failed; rolled back: ${l.root} holds the original data`),
            "",
        ]);
        assert.equal(l.read("after.txt"), l.read("before.txt"));
        assert.equal(l.read("fstab-after.txt"), l.read("fstab-before.txt"));
        assert.equal(l.read("backups.txt"), "");
        assert.equal(l.read("mounts.txt"), "");
        assert.equal(l.read("leftover.txt"), "");
    });

    it("refuses to merge when both the data root and the device hold data", () => {
        const l = lab();
        const dev = l.loop("full", 64);
        l.write("step.sh", script(l, { path: dev }));
        l.ns(`
mkfs.ext4 -q ${dev}
mkdir "$W/m" && mount ${dev} "$W/m" && printf 'precious\\n' >"$W/m/precious.txt" && umount "$W/m"
mkdir "$W/docker" && printf 'mine\\n' >"$W/docker/mine.txt"
cp /etc/fstab "$W/fstab-before.txt"
run_step first step.sh
mount -o ro ${dev} "$W/m" && cat "$W/m/precious.txt" >"$W/precious.txt" && umount "$W/m"
cat "$W/docker/mine.txt" >"$W/mine.txt"
cp /etc/fstab "$W/fstab-after.txt"
findmnt -rn -o TARGET -S ${dev} >"$W/mounts.txt" || true
`);
        assert.deepEqual(l.result("first"), {
            rc: 1,
            out: `${log(`error: both ${l.root} and the filesystem on ${dev} hold data; not merging them. If ${dev} holds only an earlier copy of ${l.root}, empty its filesystem (never ${l.root}) and run again`)}\n`,
        });
        assert.equal(l.read("precious.txt"), "precious\n");
        assert.equal(l.read("mine.txt"), "mine\n");
        assert.equal(l.read("fstab-after.txt"), l.read("fstab-before.txt"));
        assert.equal(l.read("mounts.txt"), "");
    });

    it("leaves everything as it was when the data does not fit on the device", () => {
        const l = lab();
        const dev = l.loop("small", 64);
        l.write("step.sh", script(l, { path: dev }));
        l.ns(`
mkdir "$W/docker" && head -c 70000000 /dev/urandom >"$W/docker/big"
sha256sum "$W/docker/big" >"$W/sum-before.txt"
cp /etc/fstab "$W/fstab-before.txt"
run_step first step.sh
sha256sum "$W/docker/big" >"$W/sum-after.txt"
cp /etc/fstab "$W/fstab-after.txt"
ls -d "$W"/docker.pre-* 2>/dev/null >"$W/backups.txt" || true
findmnt -rn -o TARGET -S ${dev} >"$W/mounts.txt" || true
`);
        const first = l.result("first");
        assert.equal(first.rc, 1);
        assert.match(
            first.out,
            new RegExp(
                `^${log(`changed: formatting blank ${dev} as ext4 \\(label docker-data\\)`).replace(/[[\]]/g, "\\$&")}\n` +
                    `${log(`error: ${l.root} holds \\d+ bytes but ${dev} has \\d+ free: use a larger device; nothing was changed`).replace(/[[\]]/g, "\\$&")}\n$`,
            ),
        );
        assert.equal(l.read("sum-after.txt"), l.read("sum-before.txt"));
        assert.equal(l.read("fstab-after.txt"), l.read("fstab-before.txt"));
        assert.equal(l.read("backups.txt"), "");
        assert.equal(l.read("mounts.txt"), "");
    });

    it("formats a blank device as xfs with ftype=1", () => {
        const l = lab();
        const dev = l.loop("xfs", 512);
        l.write("step.sh", script(l, { path: dev }, { filesystem: "xfs" }));
        l.ns(`
run_step first step.sh
run_step second step.sh
findmnt -n -r -o FSTYPE --mountpoint "$W/docker" >"$W/fstype.txt"
xfs_info "$W/docker" | grep -o 'ftype=[01]' >"$W/ftype.txt"
awk '$2 == "'"$W/docker"'" { print $3, $4, $5, $6 }' /etc/fstab >"$W/entry.txt"
`);
        assert.equal(l.result("first").rc, 0, l.result("first").out);
        assert.deepEqual(l.result("second"), { rc: 0, out: "" });
        assert.equal(l.read("fstype.txt"), "xfs\n");
        assert.equal(l.read("ftype.txt"), "ftype=1\n");
        assert.equal(l.read("entry.txt"), "xfs nodev,nosuid,noatime,nofail,x-systemd.device-timeout=30s 0 0\n");
    });

    describe("refusals, with nothing changed", () => {
        /** Runs the script once in a fresh namespace; returns its result and whether fstab and the device are untouched. */
        function refused(l: Lab, dev: string, step: string, setup = "", readDevice = true) {
            l.write("step.sh", step);
            const hash = (name: string) =>
                readDevice ? `head -c 1048576 ${dev} | sha256sum >"$W/${name}"` : `: >"$W/${name}"`;
            l.ns(`${setup}
cp /etc/fstab "$W/fstab-before.txt"
${hash("dev-before.txt")}
run_step first step.sh
${hash("dev-after.txt")}
cp /etc/fstab "$W/fstab-after.txt"
`);
            assert.equal(l.read("fstab-after.txt"), l.read("fstab-before.txt"), "fstab is unchanged");
            assert.equal(l.read("dev-after.txt"), l.read("dev-before.txt"), "the device's first MiB is unchanged");
            return l.result("first");
        }

        it("refuses the disk that holds /", function () {
            const root = bash("findmnt -n -r -v -o SOURCE /").stdout.trim();
            if (!/^\/dev\/[a-z][a-z0-9_-]*$/.test(root) || bash(`test -b ${root}`).status !== 0) {
                this.skip();
            }
            const l = lab();
            // This machine may forbid reading its root disk; the script refuses before reading it.
            assert.deepEqual(refused(l, root, script(l, { path: root }), "", false), {
                rc: 1,
                out: `${log(`error: ${root} is, or is on, the disk that holds / (${root}): refusing it`)}\n`,
            });
        });

        it("refuses a device mounted elsewhere", () => {
            const l = lab();
            const dev = l.loop("mounted", 64);
            assert.deepEqual(
                refused(
                    l,
                    dev,
                    script(l, { path: dev }),
                    `mkfs.ext4 -q ${dev}; mkdir "$W/elsewhere"; mount ${dev} "$W/elsewhere"`,
                ),
                {
                    rc: 1,
                    out: `${log(`error: ${dev} is mounted at ${l.dir}/elsewhere: unmount it (and drop it from fstab) or choose another device`)}\n`,
                },
            );
        });

        it("refuses a device smaller than minSizeGb", () => {
            const l = lab();
            const dev = l.loop("tiny", 64);
            assert.deepEqual(refused(l, dev, script(l, { path: dev }, {}, 128)), {
                rc: 1,
                out: `${log(`error: ${dev} has ${64 * MIB} bytes, less than the ${128 * MIB} required`)}\n`,
            });
        });

        it("refuses a device with data but no signature, and does not touch it", () => {
            const l = lab();
            const dev = l.loop(
                "random",
                64,
                `head -c 1048576 /dev/urandom | dd of=${l.dir}/random.img bs=1M seek=20 conv=notrunc status=none`,
            );
            assert.deepEqual(refused(l, dev, script(l, { path: dev })), {
                rc: 1,
                out: `${log(`error: ${dev} has no filesystem or partition table but is not blank (data in MiB 20): it may hold raw or encrypted data; not formatting it. If nothing on it is needed, wipe it yourself (blkdiscard, or zeroes with dd) and run again`)}\n`,
            });
        });

        it("refuses a device with a partition table", () => {
            const l = lab();
            // One Linux partition from sector 2048 to the end of 64 MiB, and the MBR signature.
            const mbr = String.raw`printf '\x00\x20\x21\x00\x83\xfe\xff\xff\x00\x08\x00\x00\x00\xf8\x01\x00' | dd of=${l.dir}/parted.img bs=1 seek=446 conv=notrunc status=none; printf '\x55\xaa' | dd of=${l.dir}/parted.img bs=1 seek=510 conv=notrunc status=none`;
            const dev = l.loop("parted", 64, mbr);
            assert.deepEqual(refused(l, dev, script(l, { path: dev })), {
                rc: 1,
                out: `${log(`error: ${dev} has a dos partition table: give one of its partitions, or an unused device; never formatting it`)}\n`,
            });
        });

        it("refuses a filesystem of another type instead of reformatting it", () => {
            const l = lab();
            const dev = l.loop("ext4", 64);
            assert.deepEqual(refused(l, dev, script(l, { path: dev }, { filesystem: "xfs" }), `mkfs.ext4 -q ${dev}`), {
                rc: 1,
                out: `${log(`error: ${dev} has a ext4 filesystem, not xfs: never reformatting it; choose filesystem ext4 or another device`)}\n`,
            });
        });

        it("refuses an fstab entry for the data root that it did not write", () => {
            const l = lab();
            const dev = l.loop("foreign", 64);
            assert.deepEqual(
                refused(
                    l,
                    dev,
                    script(l, { path: dev }),
                    `printf '/dev/sdz %s ext4 defaults 0 2\\n' "$W/docker" >>/etc/fstab; mkfs.ext4 -q ${dev}`,
                ),
                {
                    rc: 1,
                    out: `${log(`error: /etc/fstab has an entry for ${l.root} that hardened-docker did not write; remove it and run again`)}\n`,
                },
            );
        });

        it("gives up on an EBS volume that does not appear", () => {
            const l = lab();
            const dev = l.loop("unused", 64);
            assert.deepEqual(
                refused(l, dev, script(l, { awsVolumeId: "vol-0123456789abcdef0" }, { deviceWaitSeconds: 0 })),
                {
                    rc: 1,
                    out: `${log("error: EBS volume vol-0123456789abcdef0 did not appear within 0 s; is it attached to this host?")}\n`,
                },
            );
        });
    });
});
