import * as assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
    KERNEL_MAIN,
    KERNEL_SYSCTL_PATH,
    renderKernel,
    renderKernelSysctl,
    validateKernelArgs,
    type KernelArgs,
} from "../../../../components/host/kernel";
import { prelude } from "../../../../components/host/shell";
import { assertCleanScript, CTX, runFunctions } from "../stepHarness";

function file(args?: KernelArgs): string {
    return renderKernelSysctl(validateKernelArgs(args, CTX));
}

function step(args?: KernelArgs) {
    return renderKernel(validateKernelArgs(args, CTX), CTX);
}

const DEFAULT_FILE = [
    "# hardened-docker: kernel settings of a Docker host (CIS Docker Benchmark v1.6.0 1.2.1).",
    "# Rendered by hardened-docker; edits on the host are overwritten.",
    "",
    "# Docker routes container traffic: forwarding stays on (hardening that turns it off breaks Docker, dev-sec/ansible-collection-hardening#213).",
    "net.ipv4.ip_forward = 1",
    "",
    "# ICMP redirects could rewrite this host's routes: accept them from nobody.",
    "net.ipv4.conf.all.accept_redirects = 0",
    "net.ipv4.conf.default.accept_redirects = 0",
    "net.ipv4.conf.all.secure_redirects = 0",
    "net.ipv4.conf.default.secure_redirects = 0",
    "net.ipv6.conf.all.accept_redirects = 0",
    "net.ipv6.conf.default.accept_redirects = 0",
    "",
    "# The host routes only for its own containers: it sends no redirects to anyone.",
    "net.ipv4.conf.all.send_redirects = 0",
    "net.ipv4.conf.default.send_redirects = 0",
    "",
    "# A sender does not choose the route through this host.",
    "net.ipv4.conf.all.accept_source_route = 0",
    "net.ipv4.conf.default.accept_source_route = 0",
    "net.ipv6.conf.all.accept_source_route = 0",
    "net.ipv6.conf.default.accept_source_route = 0",
    "",
    "# Packets with impossible source addresses are logged: they are spoofing or a misrouting.",
    "net.ipv4.conf.all.log_martians = 1",
    "net.ipv4.conf.default.log_martians = 1",
    "",
    "# Reverse-path filter (1 strict, 2 loose): spoofed sources are dropped; loose keeps containers on several networks working.",
    "net.ipv4.conf.all.rp_filter = 2",
    "net.ipv4.conf.default.rp_filter = 2",
    "",
    "# A SYN flood cannot fill the connection backlog.",
    "net.ipv4.tcp_syncookies = 1",
    "",
    "# The host is no smurf amplifier, and bogus ICMP errors do not fill the log.",
    "net.ipv4.icmp_echo_ignore_broadcasts = 1",
    "net.ipv4.icmp_ignore_bogus_error_responses = 1",
    "",
    "# IPv6 router advertisements (0 off, 1 on, 2 on while forwarding): routes come from the configuration unless args.kernel.acceptRouterAdvertisements.",
    "net.ipv6.conf.all.accept_ra = 0",
    "net.ipv6.conf.default.accept_ra = 0",
    "",
    "# Kernel addresses are hidden from everyone, which keeps KASLR useful.",
    "kernel.kptr_restrict = 2",
    "",
    "# Only root reads the kernel log.",
    "kernel.dmesg_restrict = 1",
    "",
    "# ptrace (1 descendants only, 2 root only, 3 nobody): one process cannot read another's memory.",
    "kernel.yama.ptrace_scope = 1",
    "",
    "# Only root loads BPF programs, and the JIT is hardened against spraying.",
    "kernel.unprivileged_bpf_disabled = 1",
    "net.core.bpf_jit_harden = 2",
    "",
    "# Full address-space layout randomisation.",
    "kernel.randomize_va_space = 2",
    "",
    "# Links, FIFOs and files in sticky world-writable directories cannot be turned against other users. FIFOs stay at 1: Debian's procps ships 99-protect-links.conf, which sorts after this file and sets 1 at every boot.",
    "fs.protected_hardlinks = 1",
    "fs.protected_symlinks = 1",
    "fs.protected_fifos = 1",
    "fs.protected_regular = 2",
    "",
    "# Set-uid programs leave no core dumps to read secrets from.",
    "fs.suid_dumpable = 0",
    "",
].join("\n");

/** The default file with whole lines replaced. */
function defaultFileWith(replace: [from: string, to: string][]): string {
    let text = DEFAULT_FILE;
    for (const [from, to] of replace) {
        assert.ok(text.includes(`\n${from}\n`), from);
        text = text.replace(`\n${from}\n`, `\n${to}\n`);
    }
    return text;
}

describe("renderKernelSysctl", () => {
    it("renders the exact file for the defaults", () => {
        assert.equal(file(), DEFAULT_FILE);
    });

    const OPTIONS: [title: string, args: KernelArgs, expected: string][] = [
        [
            "strict reverse-path filtering",
            { rpFilter: 1 },
            defaultFileWith([
                ["net.ipv4.conf.all.rp_filter = 2", "net.ipv4.conf.all.rp_filter = 1"],
                ["net.ipv4.conf.default.rp_filter = 2", "net.ipv4.conf.default.rp_filter = 1"],
            ]),
        ],
        [
            "router advertisements on",
            { acceptRouterAdvertisements: true },
            defaultFileWith([
                ["net.ipv6.conf.all.accept_ra = 0", "net.ipv6.conf.all.accept_ra = 1"],
                ["net.ipv6.conf.default.accept_ra = 0", "net.ipv6.conf.default.accept_ra = 1"],
            ]),
        ],
        [
            "IPv6 forwarding with router advertisements",
            { ipv6Forwarding: true, acceptRouterAdvertisements: true },
            defaultFileWith([
                [
                    "net.ipv4.ip_forward = 1",
                    [
                        "net.ipv4.ip_forward = 1",
                        "",
                        "# Docker's IPv6 networks are routed too (written only with args.kernel.ipv6Forwarding).",
                        "net.ipv6.conf.all.forwarding = 1",
                        "net.ipv6.conf.default.forwarding = 1",
                    ].join("\n"),
                ],
                ["net.ipv6.conf.all.accept_ra = 0", "net.ipv6.conf.all.accept_ra = 2"],
                ["net.ipv6.conf.default.accept_ra = 0", "net.ipv6.conf.default.accept_ra = 2"],
            ]),
        ],
        [
            "ptrace for root only",
            { ptraceScope: 2 },
            defaultFileWith([["kernel.yama.ptrace_scope = 1", "kernel.yama.ptrace_scope = 2"]]),
        ],
        [
            "extra keys",
            { extra: { "vm.max_map_count": "262144", "net.ipv4.ip_local_port_range": "32768 60999" } },
            `${DEFAULT_FILE}\n# Extra settings (args.kernel.extra).\nnet.ipv4.ip_local_port_range = 32768 60999\nvm.max_map_count = 262144\n`,
        ],
    ];
    for (const [title, args, expected] of OPTIONS) {
        it(`renders the exact file for ${title}`, () => {
            assert.equal(file(args), expected);
        });
    }
});

describe("renderKernel", () => {
    it("describes the step and its one file", () => {
        const s = step();
        assert.deepEqual(
            { id: s.id, title: s.title, cis: s.cis, secret: s.secret, files: s.files },
            {
                id: "kernel",
                title: "Kernel settings hardened for a Docker host, with IP forwarding kept on",
                cis: ["1.2.1"],
                secret: false,
                files: [{ path: KERNEL_SYSCTL_PATH, mode: "0644", owner: "root:root", content: DEFAULT_FILE }],
            },
        );
        assert.equal(KERNEL_SYSCTL_PATH, "/etc/sysctl.d/60-hardened-docker.conf");
    });

    it("starts with the prelude, embeds the file in a here-document and ends with its main", () => {
        const script = step().script;
        assert.ok(script.startsWith(prelude("kernel")));
        assert.ok(script.includes(`<<'HD_EOF_`));
        assert.ok(script.includes(`\n${DEFAULT_FILE}HD_EOF_`));
        assert.ok(script.endsWith("\nkernel_main\n"));
    });

    it("renders the exact main function, with the router-advertisement guard only while they are off", () => {
        const main = (args?: KernelArgs) => {
            const s = step(args).script;
            return s.slice(s.indexOf("\nkernel_main() {\n") + 1);
        };
        const body = (guard: string[]) =>
            [
                "kernel_main() {",
                "    hd_apt_install procps",
                ...guard,
                '    kernel_apply "$HD_TMP/60-hardened-docker.conf"',
                '    hd_install_file "$HD_TMP/60-hardened-docker.conf" "$KERNEL_CONF" 0644 root:root || true',
                '    kernel_verify "$HD_TMP/60-hardened-docker.conf" || hd_die "kernel settings did not read back as written (see above)"',
                "}",
                "",
                "kernel_main",
                "",
            ].join("\n");
        assert.equal(main(), body(["    kernel_ra_guard"]));
        assert.equal(main({ acceptRouterAdvertisements: true }), body([]));
    });

    for (const [title, args] of [
        ["the defaults", undefined],
        [
            "every option",
            {
                rpFilter: 1,
                ptraceScope: 3,
                ipv6Forwarding: true,
                acceptRouterAdvertisements: true,
                extra: { "vm.swappiness": "10" },
            },
        ],
    ] as [string, KernelArgs | undefined][]) {
        it(`passes bash -n and shellcheck for ${title}`, function () {
            assertCleanScript(this, step(args).script);
        });
    }
});

/** A fake /proc/sys with every key of the file at the given value, less the keys in `missing`. */
function fakeProc(
    root: string,
    text: string,
    values: (key: string, wanted: string) => string,
    missing: string[],
): void {
    for (const line of text.split("\n")) {
        const m = /^([^#][^=]*?) = (.*)$/.exec(line);
        if (m === null || missing.includes(m[1])) {
            continue;
        }
        const path = join(root, "sys", ...m[1].split("."));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, `${values(m[1], m[2])}\n`);
    }
    mkdirSync(join(root, "net"), { recursive: true });
}

const FAKE_SYSCTL = `#!/bin/bash
# A stand-in for procps's sysctl: "-q -p FILE" writes each "key = value" of FILE under FAKE_PROC_SYS.
set -eu
printf '%s\\n' "sysctl $*" >>"$FAKE_LOG"
[ "$1" = -q ] && [ "$2" = -p ] || exit 2
if [ -n "\${FAKE_REFUSE:-}" ]; then echo "sysctl: setting key \\"$FAKE_REFUSE\\": Invalid argument" >&2; exit 255; fi
while IFS= read -r line; do
    key=\${line%% = *}
    printf '%s\\n' "\${line#* = }" >"$FAKE_PROC_SYS/\${key//.//}"
done <"$3"
`;

describe("the kernel script against a fake /proc/sys", () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "hd-kernel-"));
        mkdirSync(join(dir, "bin"));
        writeFileSync(join(dir, "bin", "sysctl"), FAKE_SYSCTL);
        chmodSync(join(dir, "bin", "sysctl"), 0o755);
        env = {
            ...process.env,
            PATH: `${join(dir, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
            FAKE_PROC_SYS: join(dir, "proc", "sys"),
            FAKE_LOG: join(dir, "log"),
        };
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** Shell lines that point the script at the fake tree and a config path under the temp dir. */
    const setup = () =>
        [
            `PROC_SYS=${dir}/proc/sys`,
            `PROC_NET=${dir}/proc/net`,
            `KERNEL_CONF=${dir}/etc/sysctl.d/60-hardened-docker.conf`,
            "hd_apt_install() { :; }",
        ].join("\n");

    it("verifies every present key, names each that differs, and ignores keys the kernel lacks", () => {
        const wrong: Record<string, string> = { "net.ipv4.ip_forward": "0", "net.ipv4.conf.all.rp_filter": "1" };
        fakeProc(join(dir, "proc"), DEFAULT_FILE, (k, v) => wrong[k] ?? v, ["kernel.yama.ptrace_scope"]);
        const r = runFunctions(
            step().script,
            KERNEL_MAIN,
            `${setup()}\nkernel_verify "$HD_TMP/60-hardened-docker.conf" || echo "status $?"`,
            env,
        );
        assert.deepEqual(r, {
            status: 0,
            stdout: "status 1\n",
            stderr: [
                'hardened-docker[kernel]: net.ipv4.ip_forward is "0", expected "1"',
                'hardened-docker[kernel]: net.ipv4.conf.all.rp_filter is "1", expected "2"',
                "",
            ].join("\n"),
        });
    });

    it("compares multi-value keys with their whitespace collapsed (the kernel prints tabs)", () => {
        const text = file({ extra: { "net.ipv4.ip_local_port_range": "32768   60999" } });
        fakeProc(join(dir, "proc"), text, (k, v) => (k === "net.ipv4.ip_local_port_range" ? "32768\t60999" : v), []);
        const r = runFunctions(
            step({ extra: { "net.ipv4.ip_local_port_range": "32768 60999" } }).script,
            KERNEL_MAIN,
            `${setup()}\nkernel_verify "$HD_TMP/60-hardened-docker.conf" && echo verified`,
            env,
        );
        assert.deepEqual(r, { status: 0, stdout: "verified\n", stderr: "" });
    });

    it("lists exactly the keys to change, and logs and skips the keys the kernel lacks", () => {
        const wrong: Record<string, string> = { "kernel.kptr_restrict": "0", "fs.suid_dumpable": "2" };
        fakeProc(join(dir, "proc"), DEFAULT_FILE, (k, v) => wrong[k] ?? v, [
            "kernel.yama.ptrace_scope",
            "net.core.bpf_jit_harden",
        ]);
        const r = runFunctions(
            step().script,
            KERNEL_MAIN,
            `${setup()}\nkernel_pending "$HD_TMP/60-hardened-docker.conf" "$HD_TMP/out"\ncat "$HD_TMP/out"`,
            env,
        );
        assert.deepEqual(r, {
            status: 0,
            stdout: [
                "hardened-docker[kernel]: skipped: kernel.yama.ptrace_scope (this kernel does not have it)",
                "hardened-docker[kernel]: skipped: net.core.bpf_jit_harden (this kernel does not have it)",
                "kernel.kptr_restrict = 2",
                "fs.suid_dumpable = 0",
                "",
            ].join("\n"),
            stderr: "",
        });
    });

    it("converges: applies what differs, installs the file, verifies; a second run changes nothing", function () {
        if (process.getuid?.() !== 0) {
            this.skip(); // hd_install_file sets root:root
        }
        fakeProc(
            join(dir, "proc"),
            DEFAULT_FILE,
            (k, v) => (k === "kernel.randomize_va_space" || k === "net.ipv4.ip_forward" ? "0" : v),
            ["kernel.yama.ptrace_scope"],
        );
        const script = step().script;
        const first = runFunctions(script, KERNEL_MAIN, `${setup()}\nkernel_main`, env);
        assert.deepEqual(first, {
            status: 0,
            stdout: [
                "hardened-docker[kernel]: skipped: kernel.yama.ptrace_scope (this kernel does not have it)",
                "hardened-docker[kernel]: changed: net.ipv4.ip_forward = 1",
                "hardened-docker[kernel]: changed: kernel.randomize_va_space = 2",
                `hardened-docker[kernel]: changed: ${dir}/etc/sysctl.d/60-hardened-docker.conf`,
                "",
            ].join("\n"),
            stderr: "",
        });
        assert.equal(readFileSync(join(dir, "etc/sysctl.d/60-hardened-docker.conf"), "utf8"), DEFAULT_FILE);
        assert.equal(readFileSync(join(dir, "proc/sys/kernel/randomize_va_space"), "utf8"), "2\n");
        const second = runFunctions(script, KERNEL_MAIN, `${setup()}\nkernel_main`, env);
        assert.deepEqual(second, {
            status: 0,
            stdout: "hardened-docker[kernel]: skipped: kernel.yama.ptrace_scope (this kernel does not have it)\n",
            stderr: "",
        });
        // One sysctl call, on the first run, with the candidate's differing keys only.
        assert.match(readFileSync(join(dir, "log"), "utf8"), /^sysctl -q -p \/\S+\/pending\.conf\n$/);
    });

    it("installs nothing when the kernel refuses a value", () => {
        fakeProc(join(dir, "proc"), DEFAULT_FILE, (k, v) => (k === "kernel.kptr_restrict" ? "0" : v), []);
        const r = runFunctions(step().script, KERNEL_MAIN, `${setup()}\nkernel_main`, {
            ...env,
            FAKE_REFUSE: "kernel.kptr_restrict",
        });
        assert.deepEqual(r, {
            status: 1,
            stdout: "",
            stderr: [
                'sysctl: setting key "kernel.kptr_restrict": Invalid argument',
                `hardened-docker[kernel]: error: the kernel refused a setting; ${dir}/etc/sysctl.d/60-hardened-docker.conf is left as it was`,
                "",
            ].join("\n"),
        });
        assert.equal(existsSync(join(dir, "etc")), false);
    });
});

describe("the router-advertisement guard", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "hd-kernel-ra-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const ZERO = "0".repeat(32);
    const ROUTES: [title: string, lines: string[], status: number, stderr: string][] = [
        [
            "passes a static default route and the loopback's unreachable route",
            [
                `${ZERO} 00 ${ZERO} 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0`,
                `${ZERO} 00 ${ZERO} 00 ${ZERO} ffffffff 00000001 00000000 00200200       lo`,
            ],
            0,
            "",
        ],
        [
            "passes a route learned from an advertisement that is not the default",
            [`20010db8000000000000000000000000 40 ${ZERO} 00 ${ZERO} 00000100 00000001 00000000 00040001     eth0`],
            0,
            "",
        ],
        [
            "refuses when the default route came from a router advertisement",
            [`${ZERO} 00 ${ZERO} 00 fe80000000000000022233fffe445566 00000400 00000001 00000000 00450003     ens3`],
            1,
            "hardened-docker[kernel]: error: the IPv6 default route via ens3 comes from a router advertisement, which this step would turn off at the next boot: set args.kernel.acceptRouterAdvertisements to true\n",
        ],
    ];
    for (const [title, lines, status, stderr] of ROUTES) {
        it(title, () => {
            writeFileSync(join(dir, "ipv6_route"), `${lines.join("\n")}\n`);
            const r = runFunctions(step().script, KERNEL_MAIN, `PROC_NET=${dir}\nkernel_ra_guard`);
            assert.deepEqual(r, { status, stdout: "", stderr });
        });
    }

    it("passes a host without IPv6", () => {
        const r = runFunctions(step().script, KERNEL_MAIN, `PROC_NET=${dir}\nkernel_ra_guard && echo passed`);
        assert.deepEqual(r, { status: 0, stdout: "passed\n", stderr: "" });
    });
});
