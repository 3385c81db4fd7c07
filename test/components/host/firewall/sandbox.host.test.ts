import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
    renderFirewall,
    renderFirewallConfirm,
    renderFirewallRuleset,
    validateFirewallArgs,
} from "../../../../components/host/firewall";
import type { FirewallPlan } from "../../../../components/host/firewall";
import { CTX, defaultPlan, fullPlan } from "./fixtures";
import { requireTool, sandbox, sandboxUsable } from "./sandbox";

/** Tables shaped like those iptables-nft writes for Docker 20.10, DOCKER-USER included. */
const DOCKER_TABLES = `table ip filter {
	chain DOCKER {
	}
	chain DOCKER-USER {
		return
	}
	chain FORWARD {
		type filter hook forward priority filter; policy drop;
		jump DOCKER-USER
		ct state established,related accept
		jump DOCKER
	}
}
table ip nat {
	chain PREROUTING {
		type nat hook prerouting priority dstnat; policy accept;
	}
}
table ip6 filter {
	chain DOCKER-USER {
		return
	}
}
`;

/** Prints Docker's tables: compared before and after, they prove the firewall left them alone. */
const LIST_DOCKER = "nft list table ip filter; nft list table ip nat; nft list table ip6 filter";

/** What `nft list table inet hardened_docker` prints for a ruleset: its table, without comments. */
function listing(ruleset: string): string {
    const table = ruleset.slice(ruleset.indexOf("table inet hardened_docker {"));
    return table
        .split("\n")
        .filter((line) => !/^\s*#/.test(line))
        .join("\n")
        .replace(/(\tcomment "[^"]*"\n)\n/, "$1");
}

function liveHash(plan: FirewallPlan): string {
    return /comment "(hardened-docker ruleset [0-9a-f]{16})"/.exec(renderFirewallRuleset(plan))![1];
}

/** Waits until the pending rollback has run (its file is gone), for at most 20 s. */
const WAIT_ROLLBACK =
    "for _ in $(seq 1 100); do [ -e /run/hardened-docker/firewall-rollback.nft ] || break; sleep 0.2; done";

describe("the firewall in a throwaway network namespace (nft, unshare)", function () {
    this.timeout(120000);

    beforeEach(function () {
        requireTool(this, sandboxUsable(), "root with unshare, overlayfs and nft (apt-get install nftables)");
    });

    for (const [name, plan] of [
        ["defaults", defaultPlan()],
        ["published ports of both families", fullPlan()],
    ] as const) {
        it(`loads twice, holds exactly the rendered rules, and leaves Docker's tables alone (${name})`, () => {
            const ruleset = renderFirewallRuleset(plan);
            const r = sandbox(
                `nft -f "$IN/docker.nft"
before=$(${LIST_DOCKER})
nft -c -f "$IN/firewall.nft"
nft -f "$IN/firewall.nft"
nft -f "$IN/firewall.nft"
[ "$before" = "$(${LIST_DOCKER})" ] && echo "docker tables untouched"
nft list tables
nft list table inet hardened_docker`,
                { "docker.nft": DOCKER_TABLES, "firewall.nft": ruleset },
            );
            assert.equal(r.stderr, "");
            assert.equal(r.status, 0);
            assert.equal(
                r.stdout,
                [
                    "docker tables untouched",
                    "table ip filter",
                    "table ip nat",
                    "table ip6 filter",
                    "table inet hardened_docker",
                    listing(ruleset),
                ].join("\n"),
            );
        });
    }

    it("runs firewall, then firewall-confirm, idempotently: a second run changes nothing", () => {
        const plan = fullPlan();
        const confirm = renderFirewallConfirm(plan, CTX);
        const r = sandbox(
            `nft -f "$IN/docker.nft"
before=$(${LIST_DOCKER})
echo "== firewall"; bash -s <"$IN/firewall.sh"
echo "== firewall again"; bash -s <"$IN/firewall.sh"
[ -f /run/hardened-docker/firewall-rollback.nft ] && echo "rollback pending"
echo "== confirm"; bash -s <"$IN/confirm.sh"
echo "== confirm again"; bash -s <"$IN/confirm.sh"
[ -e /run/hardened-docker/firewall-rollback.nft ] || echo "no rollback pending"
[ "$before" = "$(${LIST_DOCKER})" ] && echo "docker tables untouched"
nft list table inet hardened_docker | grep -F comment`,
            {
                "docker.nft": DOCKER_TABLES,
                "firewall.sh": renderFirewall(plan, CTX).script,
                "confirm.sh": confirm.script,
            },
        );
        assert.equal(r.stderr, "");
        assert.equal(r.status, 0);
        assert.equal(
            r.stdout,
            [
                "== firewall",
                "hardened-docker[firewall]: not run over SSH (no SSH_CONNECTION): the rollback is the guard against a lockout",
                "hardened-docker[firewall]: changed: table inet hardened_docker (rolls back in 120s unless firewall-confirm runs)",
                "== firewall again",
                "hardened-docker[firewall]: table inet hardened_docker is current",
                "rollback pending",
                "== confirm",
                "hardened-docker[firewall-confirm]: changed: cancelled the firewall rollback",
                "hardened-docker[firewall-confirm]: changed: /etc/hardened-docker/firewall.nft",
                "hardened-docker[firewall-confirm]: changed: /etc/systemd/system/hardened-docker-firewall.service",
                "hardened-docker[firewall-confirm]: changed: /etc/systemd/system/nftables.service.d/50-hardened-docker.conf",
                "hardened-docker[firewall-confirm]: warning: systemd is not running here, so hardened-docker-firewall.service is not enabled",
                "== confirm again",
                "hardened-docker[firewall-confirm]: warning: systemd is not running here, so hardened-docker-firewall.service is not enabled",
                "no rollback pending",
                "docker tables untouched",
                `\tcomment "${liveHash(plan)}"`,
                "",
            ].join("\n"),
        );
        assert.deepEqual(
            r.etc,
            Object.fromEntries(confirm.files.map((f) => [f.path, { content: f.content, mode: f.mode }])),
        );
    });

    it("rolls back to no table when nothing confirms, and confirm then refuses", () => {
        const plan = { ...defaultPlan(), rollbackSeconds: 2 };
        const r = sandbox(
            `nft -f "$IN/docker.nft"
before=$(${LIST_DOCKER})
bash -s <"$IN/firewall.sh" >/dev/null
nft list tables | grep -c hardened_docker
${WAIT_ROLLBACK}
nft list tables
[ "$before" = "$(${LIST_DOCKER})" ] && echo "docker tables untouched"
rc=0; bash -s <"$IN/confirm.sh" || rc=$?; echo "confirm exit $rc"`,
            {
                "docker.nft": DOCKER_TABLES,
                "firewall.sh": renderFirewall(plan, CTX).script,
                "confirm.sh": renderFirewallConfirm(plan, CTX).script,
            },
        );
        assert.equal(
            r.stderr,
            "hardened-docker[firewall-confirm]: error: the live table inet hardened_docker is not the ruleset the firewall step loaded (rolled back, or never loaded); run the firewall step again\n",
        );
        assert.equal(
            r.stdout,
            "1\ntable ip filter\ntable ip nat\ntable ip6 filter\ndocker tables untouched\nconfirm exit 1\n",
        );
        assert.deepEqual(r.etc, {});
    });

    it("rolls back to the last confirmed ruleset, even across two unconfirmed runs", () => {
        const confirmed = defaultPlan();
        const first = { ...fullPlan(), rollbackSeconds: 60 };
        const second = { ...fullPlan(), logRatePerMinute: 11, rollbackSeconds: 2 };
        const r = sandbox(
            `nft -f "$IN/docker.nft"
before=$(${LIST_DOCKER})
bash -s <"$IN/firewall-0.sh" >/dev/null
bash -s <"$IN/confirm-0.sh" >/dev/null
bash -s <"$IN/firewall-1.sh" >/dev/null
nft list table inet hardened_docker | grep -F comment
bash -s <"$IN/firewall-2.sh"
nft list table inet hardened_docker | grep -F comment
${WAIT_ROLLBACK}
nft list table inet hardened_docker | grep -F comment
[ "$before" = "$(${LIST_DOCKER})" ] && echo "docker tables untouched"`,
            {
                "docker.nft": DOCKER_TABLES,
                "firewall-0.sh": renderFirewall(confirmed, CTX).script,
                "confirm-0.sh": renderFirewallConfirm(confirmed, CTX).script,
                "firewall-1.sh": renderFirewall(first, CTX).script,
                "firewall-2.sh": renderFirewall(second, CTX).script,
            },
        );
        assert.equal(r.stderr, "");
        assert.equal(
            r.stdout,
            [
                `\tcomment "${liveHash(first)}"`,
                "hardened-docker[firewall]: not run over SSH (no SSH_CONNECTION): the rollback is the guard against a lockout",
                "hardened-docker[firewall]: keeping the rollback to the last confirmed ruleset",
                "hardened-docker[firewall]: changed: table inet hardened_docker (rolls back in 2s unless firewall-confirm runs)",
                `\tcomment "${liveHash(second)}"`,
                `\tcomment "${liveHash(confirmed)}"`,
                "docker tables untouched",
                "",
            ].join("\n"),
        );
    });

    /** [case, how the script is started, exit status, stdout, stderr, table loaded]. */
    const DEPLOYERS: [string, string, number, string, string, boolean][] = [
        [
            "an IPv4 client outside adminCidrs",
            'SSH_CONNECTION="198.51.100.1 50000 192.0.2.1 22" bash -s <"$IN/firewall.sh"',
            1,
            "",
            "hardened-docker[firewall]: error: the deploying client 198.51.100.1 is not in args.firewall.adminCidrs; the new ruleset would lock this deployment out, so nothing was changed\n",
            false,
        ],
        [
            "the same client seen through sudo (SSH_CONNECTION only in an ancestor)",
            'SSH_CONNECTION="198.51.100.1 50000 192.0.2.1 22" bash -c \'env -u SSH_CONNECTION bash -s <"$IN/firewall.sh"; exit $?\'',
            1,
            "",
            "hardened-docker[firewall]: error: the deploying client 198.51.100.1 is not in args.firewall.adminCidrs; the new ruleset would lock this deployment out, so nothing was changed\n",
            false,
        ],
        [
            "an IPv6 client outside adminCidrs",
            'SSH_CONNECTION="2001:db8:b::9 50000 2001:db8::1 22" bash -s <"$IN/firewall.sh"',
            1,
            "",
            "hardened-docker[firewall]: error: the deploying client 2001:db8:b::9 is not in args.firewall.adminCidrs; the new ruleset would lock this deployment out, so nothing was changed\n",
            false,
        ],
        [
            "a connection to another sshd port",
            'SSH_CONNECTION="203.0.113.9 50000 192.0.2.1 2222" bash -s <"$IN/firewall.sh"',
            1,
            "",
            "hardened-docker[firewall]: error: this deployment reaches sshd on port 2222, but the new ruleset admits SSH on port 22 only; nothing was changed\n",
            false,
        ],
        [
            "an IPv4 admin",
            'SSH_CONNECTION="203.0.113.9 50000 192.0.2.1 22" bash -s <"$IN/firewall.sh"',
            0,
            "hardened-docker[firewall]: the deploying client 203.0.113.9 is in adminCidrs\nhardened-docker[firewall]: changed: table inet hardened_docker (rolls back in 120s unless firewall-confirm runs)\n",
            "",
            true,
        ],
        [
            "an IPv6 admin seen through sudo",
            'SSH_CONNECTION="2001:db8:a::9 50000 2001:db8::1 22" bash -c \'env -u SSH_CONNECTION bash -s <"$IN/firewall.sh"; exit $?\'',
            0,
            "hardened-docker[firewall]: the deploying client 2001:db8:a::9 is in adminCidrs\nhardened-docker[firewall]: changed: table inet hardened_docker (rolls back in 120s unless firewall-confirm runs)\n",
            "",
            true,
        ],
    ];

    it(`refuses to load a ruleset that would lock out the deploying SSH client (${DEPLOYERS.length} cases)`, () => {
        const driver = DEPLOYERS.map(
            ([, run], i) => `rc=0; ${run} >"/run/out-${i}" 2>"/run/err-${i}" || rc=$?
printf '%s\\0%s\\0%s\\0' "$rc" "$(cat "/run/out-${i}"; echo .)" "$(cat "/run/err-${i}"; echo .)"
if nft list table inet hardened_docker >/dev/null 2>&1; then printf 'loaded\\0'; else printf 'absent\\0'; fi
nft delete table inet hardened_docker 2>/dev/null || true
rm -rf /run/hardened-docker`,
        ).join("\n");
        const r = sandbox(driver, { "firewall.sh": renderFirewall(fullPlan(), CTX).script });
        assert.equal(r.status, 0, r.stderr);
        const fields = r.stdout.split("\0");
        const got = DEPLOYERS.map(([title], i) => {
            const [rc, out, err, table] = fields.slice(i * 4, i * 4 + 4);
            return [title, Number(rc), out.slice(0, -1), err.slice(0, -1), table === "loaded"];
        });
        assert.deepEqual(
            got,
            DEPLOYERS.map(([title, , rc, out, err, loaded]) => [title, rc, out, err, loaded]),
        );
    });

    it("admits each port only from its sources, over IPv4 and IPv6, also after Docker's DNAT", function () {
        requireTool(this, spawnSync("python3", ["--version"]).status === 0, "python3");
        const plan = validateFirewallArgs(
            {
                adminCidrs: ["10.99.1.2", "fd99:1::2"],
                hostPorts: [{ port: 9100, sources: ["10.99.1.3"] }],
                publishedPorts: [{ port: 8080, sources: ["10.99.1.2", "fd99:1::2"] }],
            },
            CTX,
        );
        const listen = `import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", int(sys.argv[1])))
s.listen(16)
open(sys.argv[2], "w").close()
while True:
    s.accept()[0].close()
`;
        const connect = `import socket, sys
src, dst, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_INET6 if ":" in dst else socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(1.5)
s.bind((src, 0))
try:
    s.connect((dst, port))
    print(sys.argv[4], "open")
except OSError:
    print(sys.argv[4], "closed")
`;
        // Docker's part, as iptables-nft writes it: DNAT of the published port on local addresses only
        // (`-m addrtype --dst-type LOCAL`), FORWARD policy drop.
        const docker = `table ip nat {
	chain PREROUTING {
		type nat hook prerouting priority dstnat; policy accept;
		fib daddr type local tcp dport 8080 dnat to 10.99.2.2:80
	}
}
table ip6 nat {
	chain PREROUTING {
		type nat hook prerouting priority dstnat; policy accept;
		fib daddr type local tcp dport 8080 dnat to [fd99:2::2]:80
	}
}
table ip filter {
	chain FORWARD {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip daddr 10.99.2.2 tcp dport 80 accept
		ip saddr 10.99.2.0/24 accept
	}
}
table ip6 filter {
	chain FORWARD {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip6 daddr fd99:2::2 tcp dport 80 accept
		ip6 saddr fd99:2::/64 accept
	}
}
`;
        const r = sandbox(
            `ip netns add client
ip netns add ctr
ip link add vc type veth peer name eth0 netns client
ip link add vk type veth peer name eth0 netns ctr
ip addr add 10.99.1.1/24 dev vc
ip addr add fd99:1::1/64 dev vc nodad
ip addr add 10.99.2.1/24 dev vk
ip addr add fd99:2::1/64 dev vk nodad
ip link set vc up
ip link set vk up
for ns in client ctr; do ip -n "$ns" link set lo up; ip -n "$ns" link set eth0 up; done
ip -n client addr add 10.99.1.2/24 dev eth0
ip -n client addr add 10.99.1.3/24 dev eth0
ip -n client addr add fd99:1::2/64 dev eth0 nodad
ip -n client addr add fd99:1::3/64 dev eth0 nodad
ip -n client route add default via 10.99.1.1
ip -n client -6 route add default via fd99:1::1
ip -n ctr addr add 10.99.2.2/24 dev eth0
ip -n ctr addr add fd99:2::2/64 dev eth0 nodad
ip -n ctr route add default via 10.99.2.1
ip -n ctr -6 route add default via fd99:2::1
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
nft -f "$IN/docker.nft"
python3 "$IN/listen.py" 22 /run/l22 & python3 "$IN/listen.py" 9100 /run/l9100 &
ip netns exec ctr python3 "$IN/listen.py" 80 /run/l80 &
ip netns exec client python3 "$IN/listen.py" 8080 /run/l8080 &
for f in l22 l9100 l80 l8080; do for _ in $(seq 1 50); do [ -e "/run/$f" ] && break; sleep 0.1; done; done
probe() { ip netns exec "$1" python3 "$IN/connect.py" "$2" "$3" "$4" "$5"; }
probe client 10.99.1.3 10.99.1.1 8080 "without the firewall, Docker admits 10.99.1.3 to published 8080:"
probe ctr 10.99.2.2 10.99.1.2 8080 "without the firewall, a container reaches port 8080 elsewhere:"
nft -f "$IN/firewall.nft"
probe client 10.99.1.2 10.99.1.1 22 "ssh from admin 10.99.1.2:"
probe client 10.99.1.3 10.99.1.1 22 "ssh from 10.99.1.3:"
probe client fd99:1::2 fd99:1::1 22 "ssh from admin fd99:1::2:"
probe client fd99:1::3 fd99:1::1 22 "ssh from fd99:1::3:"
probe client 10.99.1.3 10.99.1.1 9100 "host port 9100 from its source 10.99.1.3:"
probe client 10.99.1.2 10.99.1.1 9100 "host port 9100 from 10.99.1.2:"
probe client 10.99.1.2 10.99.1.1 8080 "published 8080 from its source 10.99.1.2:"
probe client 10.99.1.3 10.99.1.1 8080 "published 8080 from 10.99.1.3:"
probe client fd99:1::2 fd99:1::1 8080 "published 8080 from its source fd99:1::2:"
probe client fd99:1::3 fd99:1::1 8080 "published 8080 from fd99:1::3:"
probe ctr 10.99.2.2 10.99.1.2 8080 "a container's own connection to port 8080 elsewhere:"
probe ctr fd99:2::2 fd99:1::2 8080 "the same over IPv6:"`,
            {
                "docker.nft": docker,
                "firewall.nft": renderFirewallRuleset(plan),
                "listen.py": listen,
                "connect.py": connect,
            },
        );
        assert.equal(r.stderr, "");
        assert.equal(
            r.stdout,
            [
                "without the firewall, Docker admits 10.99.1.3 to published 8080: open",
                "without the firewall, a container reaches port 8080 elsewhere: open",
                "ssh from admin 10.99.1.2: open",
                "ssh from 10.99.1.3: closed",
                "ssh from admin fd99:1::2: open",
                "ssh from fd99:1::3: closed",
                "host port 9100 from its source 10.99.1.3: open",
                "host port 9100 from 10.99.1.2: closed",
                "published 8080 from its source 10.99.1.2: open",
                "published 8080 from 10.99.1.3: closed",
                "published 8080 from its source fd99:1::2: open",
                "published 8080 from fd99:1::3: closed",
                "a container's own connection to port 8080 elsewhere: open",
                "the same over IPv6: open",
                "",
            ].join("\n"),
        );
    });
});
