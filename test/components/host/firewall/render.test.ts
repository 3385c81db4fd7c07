import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    firewallRulesetHash,
    renderFirewall,
    renderFirewallConfirm,
    renderFirewallRuleset,
    renderFirewallUnit,
    renderNftablesDropIn,
    validateFirewallArgs,
} from "../../../../components/host/firewall";
import { embedFile, prelude } from "../../../../components/host/shell";
import { requireTool } from "./sandbox";
import { CTX, defaultPlan, fullPlan } from "./fixtures";

/** Runs a checker with the text on stdin; returns its exit status and output. */
function check(cmd: string, args: string[], input: string) {
    const r = spawnSync(cmd, args, { input, encoding: "utf8", timeout: 30000 });
    if (r.error !== undefined) {
        throw r.error;
    }
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function have(cmd: string, ...args: string[]): boolean {
    return spawnSync(cmd, args).status === 0;
}

const HEADER = [
    "#!/usr/sbin/nft -f",
    "# hardened-docker host firewall (CIS 1.2.1). Rendered by hardened-docker; edits are overwritten.",
    "# It replaces table inet hardened_docker and nothing else: Docker manages its own tables",
    "# (`iptables: true`, CIS 2.4), and no DOCKER-USER chain is created here, since Docker skips its",
    "# jump to a DOCKER-USER chain that exists before it starts. Never `flush ruleset` here.",
    "# `nft -f` applies the file as one transaction, and the two lines before the table create it if it",
    "# is missing, then delete it: the replace is atomic and idempotent (nft 1.0.6 has no `destroy`).",
];

const REPLACE = ["table inet hardened_docker", "delete table inet hardened_docker", ""];

/** The input chain up to the SSH rules: the same in every ruleset. */
const INPUT_START = [
    "\tchain input {",
    "\t\ttype filter hook input priority filter; policy drop;",
    "\t\tct state established,related accept",
    '\t\tiif "lo" accept',
    "\t\t# ICMP errors and IPv6 neighbour discovery come before the invalid-state drop: conntrack does",
    "\t\t# not track ND, so without these IPv6 loses its neighbours and its default route.",
    "\t\ticmp type { destination-unreachable, time-exceeded, parameter-problem } accept",
    "\t\ticmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem } accept",
    "\t\ticmpv6 type { nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } ip6 hoplimit 255 accept",
    "\t\ticmpv6 type mld-listener-query ip6 saddr fe80::/10 accept",
    "\t\t# DHCPv6 replies answer a multicast request, which conntrack cannot pair them with.",
    "\t\tip6 saddr fe80::/10 udp sport 547 udp dport 546 accept",
    "\t\tct state invalid drop",
    "\t\ticmp type echo-request limit rate 5/second burst 10 packets accept",
    "\t\ticmpv6 type echo-request limit rate 5/second burst 10 packets accept",
    "\t\t# SSH from args.firewall.adminCidrs only.",
];

const DEFAULT_RULESET = [
    ...HEADER,
    ...REPLACE,
    "table inet hardened_docker {",
    '\tcomment "hardened-docker ruleset 864d0e25c08e602a"',
    "",
    ...INPUT_START,
    "\t\ttcp dport 22 ip saddr 203.0.113.0/24 accept",
    '\t\tlimit rate 10/minute log prefix "hardened-docker input drop: "',
    "\t}",
    "}",
    "",
].join("\n");

const FULL_RULESET = [
    ...HEADER,
    "# SSH is admitted from anywhere (allowSshFromAnywhere): break-glass access, SEC-9",
    ...REPLACE,
    "table inet hardened_docker {",
    '\tcomment "hardened-docker ruleset 0ed7c3494ee96400"',
    "",
    ...INPUT_START,
    "\t\ttcp dport 22 ip saddr 203.0.113.0/24 accept",
    "\t\ttcp dport 22 ip6 saddr 2001:db8:a::/48 accept",
    "\t\t# Host services (args.firewall.hostPorts).",
    "\t\tudp dport 53 ip saddr 10.0.0.0/8 accept",
    "\t\tudp dport 53 ip6 saddr fd00::/8 accept",
    "\t\t# Published ports that reach docker-proxy instead of being DNAT-ed (IPv6 without ip6tables,",
    "\t\t# or the userland proxy): the same sources as in chain published.",
    "\t\ttcp dport 443 accept",
    "\t\ttcp dport 8443 ip saddr { 192.0.2.0/24, 198.51.100.0/24 } accept",
    "\t\ttcp dport 8443 ip6 saddr 2001:db8:b::/48 accept",
    "\t\tudp dport 51820 meta nfproto ipv6 accept",
    '\t\tlimit rate 30/minute log prefix "hardened-docker input drop: "',
    "\t}",
    "",
    "\t# Published ports are DNAT-ed in prerouting, so chain input never sees them. This chain runs",
    "\t# before Docker's iptables-nft chains (priority filter - 10) and matches the port the client",
    "\t# asked for (ct original proto-dst). An accept here does not bypass Docker's filtering; a drop",
    "\t# is final. Forwarded traffic that was not DNAT-ed to a published port is left to Docker.",
    "\tchain forward {",
    "\t\ttype filter hook forward priority filter - 10; policy accept;",
    "\t\tct state new ct status dnat jump published",
    "\t}",
    "",
    "\tchain published {",
    "\t\tmeta l4proto tcp ct original proto-dst 443 accept",
    "\t\tmeta l4proto tcp ct original proto-dst 8443 ip saddr { 192.0.2.0/24, 198.51.100.0/24 } accept",
    "\t\tmeta l4proto tcp ct original proto-dst 8443 ip6 saddr 2001:db8:b::/48 accept",
    "\t\tmeta l4proto tcp ct original proto-dst 8443 goto refuse",
    "\t\tmeta l4proto udp ct original proto-dst 51820 meta nfproto ipv6 accept",
    "\t\tmeta l4proto udp ct original proto-dst 51820 goto refuse",
    "\t}",
    "",
    "\tchain refuse {",
    '\t\tlimit rate 30/minute log prefix "hardened-docker published drop: "',
    "\t\tdrop",
    "\t}",
    "}",
    "",
].join("\n");

const UNIT = `# hardened-docker host firewall (CIS 1.2.1). Rendered by hardened-docker; edits are overwritten.
# Loads table inet hardened_docker, and only that table, from /etc/hardened-docker/firewall.nft. It never
# touches Docker's tables, so this unit and docker.service may start, stop and restart in either
# order. It replaces nftables.service for this host, whose flush would wipe Docker's rules.
[Unit]
Description=hardened-docker host firewall (nftables table inet hardened_docker)
Documentation=man:nft(8)
Wants=network-pre.target
Before=network-pre.target docker.service shutdown.target
Conflicts=shutdown.target
DefaultDependencies=no

[Service]
Type=oneshot
RemainAfterExit=yes
StandardInput=null
ProtectSystem=full
ProtectHome=true
ExecStart=/usr/sbin/nft -f /etc/hardened-docker/firewall.nft
ExecReload=/usr/sbin/nft -f /etc/hardened-docker/firewall.nft
# "-": stopping succeeds when the table is already gone.
ExecStop=-/usr/sbin/nft delete table inet hardened_docker

[Install]
WantedBy=multi-user.target
`;

const GUARD =
    '/bin/sh -c \'if grep -Eqs "^[[:space:]]*flush[[:space:]]+ruleset" /etc/nftables.conf; then echo ' +
    '"hardened-docker: /etc/nftables.conf flushes the whole ruleset, Docker rules and the host firewall with it; ' +
    "remove that line, or leave the firewall to hardened-docker-firewall.service\" >&2; exit 1; fi'";

const DROP_IN = `# hardened-docker (CIS 1.2.1, 2.4). Rendered by hardened-docker; edits are overwritten.
# Debian's nftables.service runs \`nft flush ruleset\` when it stops, and the stock /etc/nftables.conf
# starts with \`flush ruleset\`: a start, restart or reload wipes Docker's chains (and the host
# firewall) until docker.service restarts. The host firewall lives in hardened-docker-firewall.service;
# this drop-in drops the flush on stop and refuses to load a configuration that flushes everything.
[Service]
ExecStartPre=${GUARD}
ExecReload=
ExecReload=${GUARD}
ExecReload=/usr/sbin/nft -f /etc/nftables.conf
ExecStop=
`;

/** Lines of a script that are not comments: what runs. */
function code(script: string): string[] {
    return script.split("\n").filter((l) => !/^\s*#/.test(l));
}

/** Asserts that the snippets occur in the script in this order. */
function assertOrder(script: string, snippets: string[]): void {
    let from = 0;
    for (const snippet of snippets) {
        const at = script.indexOf(snippet, from);
        assert.ok(at >= 0, `expected ${JSON.stringify(snippet)} after offset ${from}`);
        from = at + snippet.trimEnd().length;
    }
}

describe("renderFirewallRuleset", () => {
    it("renders the exact ruleset for the defaults", () => {
        assert.equal(renderFirewallRuleset(defaultPlan()), DEFAULT_RULESET);
    });

    it("renders the exact ruleset with host ports, IPv6 admins and published ports of both families", () => {
        assert.equal(renderFirewallRuleset(fullPlan()), FULL_RULESET);
    });

    it("admits SSH on the context's port, and from every address only with the waiver", () => {
        const plan = validateFirewallArgs(
            {
                adminCidrs: ["0.0.0.0/0", "::/0"],
                allowSshFromAnywhere: { reason: "public bastion with MFA, SEC-10" },
            },
            { ...CTX, sshPort: 2222 },
        );
        const ruleset = renderFirewallRuleset(plan);
        assert.ok(ruleset.includes("\n\t\t# SSH from args.firewall.adminCidrs only.\n\t\ttcp dport 2222 accept\n"));
        assert.ok(
            ruleset.includes(
                "\n# SSH is admitted from anywhere (allowSshFromAnywhere): public bastion with MFA, SEC-10\n",
            ),
        );
    });

    it("writes single hosts without a prefix length, as nft lists them", () => {
        const plan = validateFirewallArgs({ adminCidrs: ["198.51.100.7", "2001:db8::9/128", "192.0.2.0/32"] }, CTX);
        assert.deepEqual(plan.adminCidrs, { v4: ["192.0.2.0/32", "198.51.100.7/32"], v6: ["2001:db8::9/128"] });
        assert.ok(
            renderFirewallRuleset(plan).includes(
                "\n\t\ttcp dport 22 ip saddr { 192.0.2.0, 198.51.100.7 } accept\n\t\ttcp dport 22 ip6 saddr 2001:db8::9 accept\n",
            ),
        );
    });

    it("admits a published port open to one family only from that family", () => {
        const plan = validateFirewallArgs(
            { adminCidrs: ["203.0.113.0/24"], publishedPorts: [{ port: 8080, sources: ["0.0.0.0/0"] }] },
            CTX,
        );
        const published = renderFirewallRuleset(plan).split("\tchain published {\n")[1].split("\t}\n")[0];
        assert.equal(
            published,
            [
                "\t\tmeta l4proto tcp ct original proto-dst 8080 meta nfproto ipv4 accept",
                "\t\tmeta l4proto tcp ct original proto-dst 8080 goto refuse",
                "",
            ].join("\n"),
        );
    });

    it("never flushes the ruleset or creates a Docker chain", () => {
        for (const ruleset of [DEFAULT_RULESET, FULL_RULESET]) {
            const statements = code(ruleset).join("\n");
            assert.doesNotMatch(statements, /flush|DOCKER|table ip |table ip6 /);
        }
    });

    it("names its hash in the table comment, and the hash follows the content", () => {
        assert.equal(firewallRulesetHash(DEFAULT_RULESET), "864d0e25c08e602a");
        const other = { ...defaultPlan(), logRatePerMinute: 11 };
        assert.notEqual(firewallRulesetHash(renderFirewallRuleset(other)), "864d0e25c08e602a");
    });

    for (const [name, text] of [
        ["defaults", DEFAULT_RULESET],
        ["full", FULL_RULESET],
    ]) {
        it(`passes nft -c -f (${name}), in a private network namespace`, function () {
            requireTool(this, have("nft", "--version") && have("unshare", "-n", "true"), "nft and unshare -n (root)");
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdfw-check-"));
            try {
                fs.writeFileSync(path.join(dir, "firewall.nft"), text);
                const r = check("unshare", ["-n", "nft", "-c", "-f", path.join(dir, "firewall.nft")], "");
                assert.deepEqual(r, { status: 0, output: "" });
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    }
});

describe("renderFirewallUnit and renderNftablesDropIn", () => {
    it("renders the exact unit", () => {
        assert.equal(renderFirewallUnit(), UNIT);
    });

    it("renders the exact nftables.service drop-in", () => {
        assert.equal(renderNftablesDropIn(), DROP_IN);
    });

    it("pass systemd-analyze verify, the drop-in applied to Debian's nftables.service", function () {
        const debianUnit = "/lib/systemd/system/nftables.service";
        requireTool(
            this,
            have("systemd-analyze", "--version") && fs.existsSync(debianUnit),
            "systemd-analyze and nftables",
        );
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdfw-units-"));
        try {
            fs.writeFileSync(path.join(dir, "hardened-docker-firewall.service"), UNIT);
            fs.copyFileSync(debianUnit, path.join(dir, "nftables.service"));
            fs.mkdirSync(path.join(dir, "nftables.service.d"));
            fs.writeFileSync(path.join(dir, "nftables.service.d", "50-hardened-docker.conf"), DROP_IN);
            const env = { ...process.env, SYSTEMD_UNIT_PATH: `${dir}:` };
            for (const unit of ["hardened-docker-firewall.service", "nftables.service"]) {
                const r = spawnSync("systemd-analyze", ["verify", path.join(dir, unit)], { encoding: "utf8", env });
                assert.deepEqual({ status: r.status, output: `${r.stdout}${r.stderr}` }, { status: 0, output: "" });
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("the drop-in's guard refuses Debian's stock config and accepts one without flush", function () {
        const guard = /^ExecStartPre=\/bin\/sh -c '(.*)'$/m.exec(DROP_IN)![1];
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdfw-guard-"));
        try {
            const conf = path.join(dir, "nftables.conf");
            const run = () => check("/bin/sh", ["-c", guard.replace("/etc/nftables.conf", conf)], "");
            fs.writeFileSync(conf, "#!/usr/sbin/nft -f\n\nflush ruleset\n\ntable inet filter {\n}\n");
            assert.deepEqual(run(), {
                status: 1,
                output: "hardened-docker: /etc/nftables.conf flushes the whole ruleset, Docker rules and the host firewall with it; remove that line, or leave the firewall to hardened-docker-firewall.service\n",
            });
            fs.writeFileSync(conf, "#!/usr/sbin/nft -f\n# flush ruleset\ntable inet other {\n}\n");
            assert.deepEqual(run(), { status: 0, output: "" });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("renderFirewall", () => {
    it("describes the step", () => {
        const step = renderFirewall(defaultPlan(), CTX);
        assert.deepEqual(
            { id: step.id, title: step.title, cis: step.cis, files: step.files, secret: step.secret },
            {
                id: "firewall",
                title: "nftables admits SSH from adminCidrs only and each published port from its sources (rollback armed)",
                cis: ["1.2.1"],
                files: [],
                secret: false,
            },
        );
    });

    it("embeds the ruleset, validates it, checks the deployer and arms the rollback before it loads", () => {
        const script = renderFirewall(fullPlan(), CTX).script;
        assert.ok(script.startsWith(prelude("firewall")));
        assertOrder(script, [
            "\nhd_apt_install nftables\n",
            "\nHD_FW_HASH=0ed7c3494ee96400\n",
            "\nHD_FW_SSH_PORT=22\nHD_FW_ADMIN_V4=(203.0.113.0/24)\nHD_FW_ADMIN_V6=(2001:db8:a::/48)\nHD_FW_ROLLBACK_SECONDS=120\n",
            `\n${embedFile("firewall.nft", FULL_RULESET)}\n`,
            'nft -c -f "$HD_TMP/firewall.nft" || hd_die "the ruleset does not pass nft -c; nothing was changed"\n',
            "\nif hd_fw_is_current; then\n",
            "\n    hd_fw_check_deployer\n",
            "\n    hd_fw_save_rollback\n",
            "\n    hd_fw_arm_rollback\n",
            '\n    nft -f "$HD_TMP/firewall.nft" || hd_die',
            '\n    hd_log "changed: table inet hardened_docker (rolls back in ${HD_FW_ROLLBACK_SECONDS}s unless firewall-confirm runs)"\n',
        ]);
        assert.ok(
            script.includes(
                '\n        systemd-run --quiet --unit="$HD_FW_ROLLBACK_UNIT" --on-active="${HD_FW_ROLLBACK_SECONDS}s" \\\n',
            ),
        );
    });

    it("renders the rollback delay and an empty IPv6 admin list", () => {
        const script = renderFirewall({ ...defaultPlan(), rollbackSeconds: 300 }, CTX).script;
        assert.ok(
            script.includes("\nHD_FW_ADMIN_V4=(203.0.113.0/24)\nHD_FW_ADMIN_V6=()\nHD_FW_ROLLBACK_SECONDS=300\n"),
        );
    });

    it("never flushes the ruleset, touches Docker's chains, or persists anything", () => {
        const lines = code(renderFirewall(fullPlan(), CTX).script).join("\n");
        assert.doesNotMatch(lines, /flush|DOCKER-USER|\/etc\/|systemctl (enable|disable|restart)/);
    });
});

describe("renderFirewallConfirm", () => {
    it("describes the step and installs the ruleset, the unit and the drop-in", () => {
        const step = renderFirewallConfirm(fullPlan(), CTX);
        assert.deepEqual(
            { id: step.id, title: step.title, cis: step.cis, files: step.files, secret: step.secret },
            {
                id: "firewall-confirm",
                title: "the firewall admits a new SSH connection, so its rollback is cancelled and it is persisted",
                cis: ["1.2.1"],
                files: [
                    {
                        path: "/etc/hardened-docker/firewall.nft",
                        mode: "0644",
                        owner: "root:root",
                        content: FULL_RULESET,
                    },
                    {
                        path: "/etc/systemd/system/hardened-docker-firewall.service",
                        mode: "0644",
                        owner: "root:root",
                        content: UNIT,
                    },
                    {
                        path: "/etc/systemd/system/nftables.service.d/50-hardened-docker.conf",
                        mode: "0644",
                        owner: "root:root",
                        content: DROP_IN,
                    },
                ],
                secret: false,
            },
        );
    });

    it("checks the live table, cancels the rollback, then persists and enables the unit", () => {
        const script = renderFirewallConfirm(defaultPlan(), CTX).script;
        assert.ok(script.startsWith(prelude("firewall-confirm")));
        assertOrder(script, [
            "\nHD_FW_HASH=864d0e25c08e602a\n",
            `\n${embedFile("firewall.nft", DEFAULT_RULESET)}\n`,
            'nft -c -f "$HD_TMP/firewall.nft" || hd_die',
            "\nif ! hd_fw_is_current; then\n",
            "\nhd_fw_cancel_rollback\n",
            "\nif ! hd_fw_is_current; then\n",
            '\nif hd_install_file "$HD_TMP/firewall.nft" /etc/hardened-docker/firewall.nft 0644 root:root; then changed=1; fi\n',
            'hd_install_file "$HD_TMP/hardened-docker-firewall.service" /etc/systemd/system/hardened-docker-firewall.service 0644 root:root',
            'hd_install_file "$HD_TMP/nftables-dropin.conf" /etc/systemd/system/nftables.service.d/50-hardened-docker.conf 0644 root:root',
            "\n        systemctl daemon-reload\n",
            "\n        systemctl enable --quiet hardened-docker-firewall.service\n",
            "\n        systemctl start hardened-docker-firewall.service\n",
            "\n        systemctl disable --quiet nftables.service\n",
        ]);
    });

    it("never stops, restarts or flushes nftables", () => {
        const lines = code(renderFirewallConfirm(fullPlan(), CTX).script).join("\n");
        assert.doesNotMatch(lines, /nft flush|systemctl (stop|restart|reload)[^\n]*nftables|--now/);
    });
});

describe("the step scripts", () => {
    const steps = [
        ["firewall (defaults)", renderFirewall(defaultPlan(), CTX).script],
        ["firewall (full)", renderFirewall(fullPlan(), CTX).script],
        ["firewall-confirm (defaults)", renderFirewallConfirm(defaultPlan(), CTX).script],
        ["firewall-confirm (full)", renderFirewallConfirm(fullPlan(), CTX).script],
    ];
    for (const [name, script] of steps) {
        it(`${name} passes bash -n and shellcheck`, function () {
            assert.deepEqual(check("bash", ["-n"], script), { status: 0, output: "" });
            requireTool(this, have("shellcheck", "--version"), "shellcheck (apt-get install shellcheck)");
            assert.deepEqual(check("shellcheck", ["--shell=bash", "--severity=style", "-"], script), {
                status: 0,
                output: "",
            });
        });
    }

    it("are deterministic", () => {
        assert.equal(renderFirewall(fullPlan(), CTX).script, renderFirewall(fullPlan(), CTX).script);
        assert.equal(renderFirewallConfirm(fullPlan(), CTX).script, renderFirewallConfirm(fullPlan(), CTX).script);
    });
});
