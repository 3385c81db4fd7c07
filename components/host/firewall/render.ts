import { createHash } from "node:crypto";
import { embedFile, installFile, prelude } from "../shell";
import type { HostContext, HostStep, RenderedFile } from "../step";
import { FIREWALL_DEFAULTS } from "./defaults";
import type { FirewallPlan, FirewallPortPlan, SourcePlan } from "./validate";

/** The one nftables table this step owns. Docker's tables (`ip filter`, `ip nat`, `ip6 ...`) are never touched. */
export const FIREWALL_TABLE = "inet hardened_docker";
/** The persistent ruleset, loaded at boot by FIREWALL_UNIT. */
export const FIREWALL_RULESET_PATH = "/etc/hardened-docker/firewall.nft";
/** The unit that loads the ruleset at boot (instead of nftables.service, which flushes Docker's rules). */
export const FIREWALL_UNIT = "hardened-docker-firewall.service";
const FIREWALL_UNIT_PATH = `/etc/systemd/system/${FIREWALL_UNIT}`;
const NFTABLES_DROPIN_PATH = "/etc/systemd/system/nftables.service.d/50-hardened-docker.conf";
/** The transient unit (timer + service) that rolls back an unconfirmed ruleset. */
export const FIREWALL_ROLLBACK_UNIT = "hardened-docker-firewall-rollback";
const RUN_DIR = "/run/hardened-docker";
const NFT = "/usr/sbin/nft";
const HASH_PLACEHOLDER = "@RULESET_HASH@";

/** A CIDR as `nft list` prints it: a single host without its prefix length. */
function nftAddress(cidr: string): string {
    const full = cidr.includes(":") ? "/128" : "/32";
    return cidr.endsWith(full) ? cidr.slice(0, -full.length) : cidr;
}

/** `203.0.113.0/24` or `{ a, b }`, as `nft list` prints an anonymous set. */
function nftSet(items: string[]): string {
    const addresses = items.map(nftAddress);
    return addresses.length === 1 ? addresses[0] : `{ ${addresses.join(", ")} }`;
}

/**
 * The rules that admit `sources` for traffic matched by `match`: one per family (`ip saddr` for
 * IPv4, `ip6 saddr` for IPv6), none for a family without sources, and no address match at all for a
 * family open to everyone (`0.0.0.0/0`, `::/0`).
 */
function admitRules(match: string, sources: SourcePlan, verdict: string): string[] {
    const v4All = sources.v4.includes("0.0.0.0/0");
    const v6All = sources.v6.includes("::/0");
    if (v4All && v6All) {
        return [`${match} ${verdict}`];
    }
    const rules: string[] = [];
    if (v4All) {
        rules.push(`${match} meta nfproto ipv4 ${verdict}`);
    } else if (sources.v4.length > 0) {
        rules.push(`${match} ip saddr ${nftSet(sources.v4)} ${verdict}`);
    }
    if (v6All) {
        rules.push(`${match} meta nfproto ipv6 ${verdict}`);
    } else if (sources.v6.length > 0) {
        rules.push(`${match} ip6 saddr ${nftSet(sources.v6)} ${verdict}`);
    }
    return rules;
}

function openToAll(sources: SourcePlan): boolean {
    return sources.v4.includes("0.0.0.0/0") && sources.v6.includes("::/0");
}

function portRules(ports: FirewallPortPlan[]): string[] {
    return ports.flatMap((p) => admitRules(`${p.protocol} dport ${p.port}`, p.sources, "accept"));
}

/** One line of a `#` comment: no control characters, so a reason cannot end the comment. */
function commentText(text: string): string {
    return text.replace(/\p{Cc}+/gu, " ");
}

/** The short hash written into the table's comment: how both steps recognise the live ruleset. */
function rulesetHash(text: string): string {
    return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/**
 * The nftables ruleset: replaces `table inet hardened_docker` in one transaction and touches
 * nothing else. The text inside the table is written as `nft list table` prints it, so what is
 * loaded can be compared with what the kernel holds.
 */
export function renderFirewallRuleset(plan: FirewallPlan): string {
    const t = "\t";
    const rate = `limit rate ${plan.logRatePerMinute}/minute`;
    const echo = `limit rate ${FIREWALL_DEFAULTS.echoRatePerSecond}/second burst ${FIREWALL_DEFAULTS.echoBurst} packets`;
    const header = [
        "#!/usr/sbin/nft -f",
        "# hardened-docker host firewall (CIS 1.2.1). Rendered by hardened-docker; edits are overwritten.",
        `# It replaces table ${FIREWALL_TABLE} and nothing else: Docker manages its own tables`,
        "# (`iptables: true`, CIS 2.4), and no DOCKER-USER chain is created here, since Docker skips its",
        "# jump to a DOCKER-USER chain that exists before it starts. Never `flush ruleset` here.",
        "# `nft -f` applies the file as one transaction, and the two lines before the table create it if it",
        "# is missing, then delete it: the replace is atomic and idempotent (nft 1.0.6 has no `destroy`).",
    ];
    if (plan.waivers.allowSshFromAnywhere !== undefined) {
        header.push(
            `# SSH is admitted from anywhere (allowSshFromAnywhere): ${commentText(plan.waivers.allowSshFromAnywhere)}`,
        );
    }
    const input = [
        `${t}chain input {`,
        `${t}${t}type filter hook input priority filter; policy drop;`,
        `${t}${t}ct state established,related accept`,
        `${t}${t}iif "lo" accept`,
        `${t}${t}# ICMP errors and IPv6 neighbour discovery come before the invalid-state drop: conntrack does`,
        `${t}${t}# not track ND, so without these IPv6 loses its neighbours and its default route.`,
        `${t}${t}icmp type { destination-unreachable, time-exceeded, parameter-problem } accept`,
        `${t}${t}icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem } accept`,
        `${t}${t}icmpv6 type { nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } ip6 hoplimit 255 accept`,
        `${t}${t}icmpv6 type mld-listener-query ip6 saddr fe80::/10 accept`,
        `${t}${t}# DHCPv6 replies answer a multicast request, which conntrack cannot pair them with.`,
        `${t}${t}ip6 saddr fe80::/10 udp sport 547 udp dport 546 accept`,
        `${t}${t}ct state invalid drop`,
        `${t}${t}icmp type echo-request ${echo} accept`,
        `${t}${t}icmpv6 type echo-request ${echo} accept`,
        `${t}${t}# SSH from args.firewall.adminCidrs only.`,
        ...admitRules(`tcp dport ${plan.sshPort}`, plan.adminCidrs, "accept").map((r) => `${t}${t}${r}`),
    ];
    if (plan.hostPorts.length > 0) {
        input.push(`${t}${t}# Host services (args.firewall.hostPorts).`);
        input.push(...portRules(plan.hostPorts).map((r) => `${t}${t}${r}`));
    }
    if (plan.publishedPorts.length > 0) {
        input.push(
            `${t}${t}# Published ports that reach docker-proxy instead of being DNAT-ed (IPv6 without ip6tables,`,
            `${t}${t}# or the userland proxy): the same sources as in chain published.`,
            ...portRules(plan.publishedPorts).map((r) => `${t}${t}${r}`),
        );
    }
    input.push(`${t}${t}${rate} log prefix "hardened-docker input drop: "`, `${t}}`);

    const chains = [input];
    if (plan.publishedPorts.length > 0) {
        const published = [`${t}chain published {`];
        let refuse = false;
        for (const p of plan.publishedPorts) {
            const match = `meta l4proto ${p.protocol} ct original proto-dst ${p.port}`;
            published.push(...admitRules(match, p.sources, "accept").map((r) => `${t}${t}${r}`));
            if (!openToAll(p.sources)) {
                published.push(`${t}${t}${match} goto refuse`);
                refuse = true;
            }
        }
        published.push(`${t}}`);
        chains.push(
            [
                `${t}# Published ports are DNAT-ed in prerouting, so chain input never sees them. This chain runs`,
                `${t}# before Docker's iptables-nft chains (priority filter - 10) and matches the port the client`,
                `${t}# asked for (ct original proto-dst). An accept here does not bypass Docker's filtering; a drop`,
                `${t}# is final. Forwarded traffic that was not DNAT-ed to a published port is left to Docker.`,
                `${t}chain forward {`,
                `${t}${t}type filter hook forward priority filter - 10; policy accept;`,
                `${t}${t}ct state new ct status dnat jump published`,
                `${t}}`,
            ],
            published,
        );
        if (refuse) {
            chains.push([
                `${t}chain refuse {`,
                `${t}${t}${rate} log prefix "hardened-docker published drop: "`,
                `${t}${t}drop`,
                `${t}}`,
            ]);
        }
    }
    const table = (hash: string) =>
        [
            `table ${FIREWALL_TABLE} {`,
            `${t}comment "hardened-docker ruleset ${hash}"`,
            "",
            chains.map((c) => c.join("\n")).join("\n\n"),
            "}",
        ].join("\n");
    const hash = rulesetHash([...header, table(HASH_PLACEHOLDER)].join("\n"));
    return [...header, `table ${FIREWALL_TABLE}`, `delete table ${FIREWALL_TABLE}`, "", table(hash), ""].join("\n");
}

/** The hash in the ruleset's table comment. */
export function firewallRulesetHash(ruleset: string): string {
    const match = /\n\tcomment "hardened-docker ruleset ([0-9a-f]{16})"\n/.exec(ruleset);
    if (match === null) {
        throw new Error("the ruleset carries no hardened-docker hash");
    }
    return match[1];
}

/** The unit that loads the persistent ruleset at boot. */
export function renderFirewallUnit(): string {
    return `# hardened-docker host firewall (CIS 1.2.1). Rendered by hardened-docker; edits are overwritten.
# Loads table ${FIREWALL_TABLE}, and only that table, from ${FIREWALL_RULESET_PATH}. It never
# touches Docker's tables, so this unit and docker.service may start, stop and restart in either
# order. It replaces nftables.service for this host, whose flush would wipe Docker's rules.
[Unit]
Description=hardened-docker host firewall (nftables table ${FIREWALL_TABLE})
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
ExecStart=${NFT} -f ${FIREWALL_RULESET_PATH}
ExecReload=${NFT} -f ${FIREWALL_RULESET_PATH}
# "-": stopping succeeds when the table is already gone.
ExecStop=-${NFT} delete table ${FIREWALL_TABLE}

[Install]
WantedBy=multi-user.target
`;
}

/** The drop-in that keeps nftables.service from flushing the whole ruleset, Docker's rules included. */
export function renderNftablesDropIn(): string {
    const guard =
        '/bin/sh -c \'if grep -Eqs "^[[:space:]]*flush[[:space:]]+ruleset" /etc/nftables.conf; then ' +
        'echo "hardened-docker: /etc/nftables.conf flushes the whole ruleset, Docker rules and the host firewall with it; ' +
        `remove that line, or leave the firewall to ${FIREWALL_UNIT}" >&2; exit 1; fi'`;
    return `# hardened-docker (CIS 1.2.1, 2.4). Rendered by hardened-docker; edits are overwritten.
# Debian's nftables.service runs \`nft flush ruleset\` when it stops, and the stock /etc/nftables.conf
# starts with \`flush ruleset\`: a start, restart or reload wipes Docker's chains (and the host
# firewall) until docker.service restarts. The host firewall lives in ${FIREWALL_UNIT};
# this drop-in drops the flush on stop and refuses to load a configuration that flushes everything.
[Service]
ExecStartPre=${guard}
ExecReload=
ExecReload=${guard}
ExecReload=${NFT} -f /etc/nftables.conf
ExecStop=
`;
}

/** Shell that both steps share: where the rollback lives, and whether the live table is this ruleset. */
function sharedShell(hash: string): string {
    return `HD_FW_HASH=${hash}
HD_FW_RUN=${RUN_DIR}
HD_FW_ROLLBACK=$HD_FW_RUN/firewall-rollback.nft
HD_FW_TOKEN=$HD_FW_RUN/firewall-rollback.token
HD_FW_ROLLBACK_UNIT=${FIREWALL_ROLLBACK_UNIT}

# hd_fw_is_current: is the live table ${FIREWALL_TABLE} the ruleset rendered here?
hd_fw_is_current() {
    local live
    live=$(nft list table ${FIREWALL_TABLE} 2>/dev/null) || return 1
    grep -qF "comment \\"hardened-docker ruleset $HD_FW_HASH\\"" <<<"$live"
}

# hd_fw_systemd: is systemd the init here (a real host), rather than a container or a test namespace?
hd_fw_systemd() {
    [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1
}`;
}

function bashArray(items: string[]): string {
    return `(${items.join(" ")})`;
}

/**
 * The \`firewall\` step: validates the ruleset with \`nft -c\`, refuses when the deploying SSH client
 * is not in adminCidrs, arms a rollback to the previous table, then loads the new table. It does not
 * persist anything: \`firewall-confirm\`, over a new SSH connection, proves the rules admit the
 * deployer, cancels the rollback and persists.
 */
export function renderFirewall(plan: FirewallPlan, _ctx: HostContext): HostStep {
    const ruleset = renderFirewallRuleset(plan);
    const hash = firewallRulesetHash(ruleset);
    const body = `
hd_apt_install nftables

${sharedShell(hash)}
HD_FW_SSH_PORT=${plan.sshPort}
HD_FW_ADMIN_V4=${bashArray(plan.adminCidrs.v4)}
HD_FW_ADMIN_V6=${bashArray(plan.adminCidrs.v6)}
HD_FW_ROLLBACK_SECONDS=${plan.rollbackSeconds}

# hd_ip4_int ADDRESS: the IPv4 address as a number; fails on anything else.
hd_ip4_int() {
    [[ $1 =~ ^([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})$ ]] || return 1
    local n=0 i part
    for i in 1 2 3 4; do
        part=$((10#\${BASH_REMATCH[i]}))
        [ "$part" -le 255 ] || return 1
        n=$(((n << 8) | part))
    done
    printf '%s\\n' "$n"
}

# hd_ip4_in ADDRESS CIDR: is the IPv4 address inside the CIDR?
hd_ip4_in() {
    local ip net len=32 mask
    ip=$(hd_ip4_int "$1") || return 1
    net=$(hd_ip4_int "\${2%/*}") || return 1
    if [[ $2 == */* ]]; then len=\${2#*/}; fi
    mask=$(((0xffffffff << (32 - len)) & 0xffffffff))
    [ "$((ip & mask))" -eq "$((net & mask))" ]
}

# hd_ip6_hex ADDRESS: the IPv6 address as 32 hex digits; fails on anything else.
hd_ip6_hex() {
    local a=\${1%%\\%*} head tail fill out="" g v4 i
    local -a hs=() ts=()
    case "$a" in *::*::* | "") return 1 ;; esac
    if [[ $a == *.* ]]; then
        v4=$(hd_ip4_int "\${a##*:}") || return 1
        a="\${a%:*}:$(printf '%x:%x' "$((v4 >> 16))" "$((v4 & 65535))")"
    fi
    if [[ $a == *::* ]]; then
        head=\${a%%::*}
        tail=\${a#*::}
    else
        head=$a
        tail=""
    fi
    if [ -n "$head" ]; then IFS=: read -r -a hs <<<"$head"; fi
    if [ -n "$tail" ]; then IFS=: read -r -a ts <<<"$tail"; fi
    fill=$((8 - \${#hs[@]} - \${#ts[@]}))
    if [[ $a == *::* ]]; then
        [ "$fill" -ge 1 ] || return 1
    else
        [ "$fill" -eq 0 ] || return 1
    fi
    for g in "\${hs[@]}"; do
        [[ $g =~ ^[0-9A-Fa-f]{1,4}$ ]] || return 1
        out+=$(printf '%04x' "$((16#$g))")
    done
    for ((i = 0; i < fill; i++)); do out+=0000; done
    for g in "\${ts[@]}"; do
        [[ $g =~ ^[0-9A-Fa-f]{1,4}$ ]] || return 1
        out+=$(printf '%04x' "$((16#$g))")
    done
    printf '%s\\n' "$out"
}

# hd_ip6_in HEX CIDR: is the address (32 hex digits) inside the IPv6 CIDR?
hd_ip6_in() {
    local net len=128 full rem mask
    net=$(hd_ip6_hex "\${2%/*}") || return 1
    if [[ $2 == */* ]]; then len=\${2#*/}; fi
    full=$((len / 4))
    rem=$((len % 4))
    [ "\${1:0:full}" = "\${net:0:full}" ] || return 1
    [ "$rem" -eq 0 ] && return 0
    mask=$(((0xf << (4 - rem)) & 0xf))
    [ "$((16#\${1:full:1} & mask))" -eq "$((16#\${net:full:1} & mask))" ]
}

# hd_fw_admitted ADDRESS: does the new ruleset admit SSH from this client? 0 yes, 1 no, 2 unparsable.
hd_fw_admitted() {
    local client=$1 hex cidr
    if [[ $client == *:* ]]; then
        hex=$(hd_ip6_hex "$client") || return 2
        if [[ $hex == 00000000000000000000ffff* ]]; then
            client=$((16#\${hex:24:2})).$((16#\${hex:26:2})).$((16#\${hex:28:2})).$((16#\${hex:30:2}))
        else
            # ::1 arrives on lo, which the ruleset accepts.
            [ "$hex" = 00000000000000000000000000000001 ] && return 0
            for cidr in "\${HD_FW_ADMIN_V6[@]}"; do
                if hd_ip6_in "$hex" "$cidr"; then return 0; fi
            done
            return 1
        fi
    fi
    hd_ip4_int "$client" >/dev/null || return 2
    # 127.0.0.0/8 arrives on lo, which the ruleset accepts.
    [[ $client == 127.* ]] && return 0
    for cidr in "\${HD_FW_ADMIN_V4[@]}"; do
        if hd_ip4_in "$client" "$cidr"; then return 0; fi
    done
    return 1
}

# hd_ssh_connection: SSH_CONNECTION of the session running this script, also through sudo, which
# drops it from the environment: then it is read from the nearest ancestor that has it.
hd_ssh_connection() {
    local pid=$PPID value
    if [ -n "\${SSH_CONNECTION:-}" ]; then
        printf '%s\\n' "$SSH_CONNECTION"
        return 0
    fi
    while [ "\${pid:-0}" -gt 1 ]; do
        value=$(tr '\\0' '\\n' 2>/dev/null <"/proc/$pid/environ" | sed -n 's/^SSH_CONNECTION=//p' | head -n 1) || true
        if [ -n "$value" ]; then
            printf '%s\\n' "$value"
            return 0
        fi
        pid=$(sed -n 's/^PPid:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null) || return 0
    done
}

# hd_fw_check_deployer: refuses a ruleset that would not admit the SSH connection running this script.
hd_fw_check_deployer() {
    local connection client server_port rc=0
    connection=$(hd_ssh_connection)
    if [ -z "$connection" ]; then
        hd_log "not run over SSH (no SSH_CONNECTION): the rollback is the guard against a lockout"
        return 0
    fi
    read -r client _ _ server_port _ <<<"$connection"
    if [ "\${server_port:-}" != "$HD_FW_SSH_PORT" ]; then
        hd_die "this deployment reaches sshd on port \${server_port:-?}, but the new ruleset admits SSH on port $HD_FW_SSH_PORT only; nothing was changed"
    fi
    hd_fw_admitted "$client" || rc=$?
    case "$rc" in
    0) hd_log "the deploying client $client is in adminCidrs" ;;
    1) hd_die "the deploying client $client is not in args.firewall.adminCidrs; the new ruleset would lock this deployment out, so nothing was changed" ;;
    *) hd_log "cannot read the deploying client address $client: the rollback is the guard against a lockout" ;;
    esac
}

# hd_fw_save_rollback: what the rollback loads, saved once per unconfirmed change: the previous
# table, or only the delete of this table when there was none (the host is then as it was).
hd_fw_save_rollback() {
    if [ -f "$HD_FW_ROLLBACK" ]; then
        hd_log "keeping the rollback to the last confirmed ruleset"
        return 0
    fi
    printf 'table ${FIREWALL_TABLE}\\ndelete table ${FIREWALL_TABLE}\\n' >"$HD_TMP/rollback.nft"
    if nft list table ${FIREWALL_TABLE} >"$HD_TMP/previous.nft" 2>/dev/null; then
        cat "$HD_TMP/previous.nft" >>"$HD_TMP/rollback.nft"
        if ! nft -c -f "$HD_TMP/rollback.nft" >/dev/null 2>&1; then
            hd_log "warning: the previous table cannot be reloaded as listed; the rollback deletes the table instead"
            printf 'table ${FIREWALL_TABLE}\\ndelete table ${FIREWALL_TABLE}\\n' >"$HD_TMP/rollback.nft"
        fi
    fi
    install -m 0600 "$HD_TMP/rollback.nft" "$HD_FW_ROLLBACK"
}

# hd_fw_arm_rollback: loads the rollback in HD_FW_ROLLBACK_SECONDS unless firewall-confirm cancels it.
hd_fw_arm_rollback() {
    local nft_bin token
    nft_bin=$(command -v nft)
    if hd_fw_systemd && command -v systemd-run >/dev/null 2>&1; then
        systemctl stop "$HD_FW_ROLLBACK_UNIT.timer" >/dev/null 2>&1 || true
        systemctl reset-failed "$HD_FW_ROLLBACK_UNIT.service" "$HD_FW_ROLLBACK_UNIT.timer" >/dev/null 2>&1 || true
        systemd-run --quiet --unit="$HD_FW_ROLLBACK_UNIT" --on-active="\${HD_FW_ROLLBACK_SECONDS}s" \\
            --timer-property=AccuracySec=1s --description="hardened-docker: roll back an unconfirmed firewall" \\
            /bin/sh -c "$nft_bin -f $HD_FW_ROLLBACK && rm -f $HD_FW_ROLLBACK"
    else
        # No systemd: a detached sleeper, which firewall-confirm cancels by removing the token.
        token="$(date +%s%N).$$"
        printf '%s\\n' "$token" >"$HD_FW_TOKEN"
        # shellcheck disable=SC2016 # expanded by the inner shell, from its arguments
        nohup setsid /bin/sh -c 'sleep "$1"; [ "$(cat "$2" 2>/dev/null)" = "$3" ] || exit 0; "$4" -f "$5" && rm -f "$5" "$2"' \\
            hardened-docker-firewall-rollback "$HD_FW_ROLLBACK_SECONDS" "$HD_FW_TOKEN" "$token" "$nft_bin" "$HD_FW_ROLLBACK" \\
            </dev/null >/dev/null 2>&1 &
    fi
}

${embedFile("firewall.nft", ruleset)}
nft -c -f "$HD_TMP/firewall.nft" || hd_die "the ruleset does not pass nft -c; nothing was changed"

if hd_fw_is_current; then
    hd_log "table ${FIREWALL_TABLE} is current"
else
    hd_fw_check_deployer
    install -d -m 0700 "$HD_FW_RUN"
    hd_fw_save_rollback
    hd_fw_arm_rollback
    nft -f "$HD_TMP/firewall.nft" || hd_die "nft could not load the ruleset; the rollback restores the previous table"
    hd_log "changed: table ${FIREWALL_TABLE} (rolls back in \${HD_FW_ROLLBACK_SECONDS}s unless firewall-confirm runs)"
fi
`;
    return {
        id: "firewall",
        title: "nftables admits SSH from adminCidrs only and each published port from its sources (rollback armed)",
        cis: ["1.2.1"],
        script: prelude("firewall") + body,
        files: [],
        secret: false,
    };
}

/** The files firewall-confirm installs, in the order it installs them. */
export function firewallConfirmFiles(plan: FirewallPlan): RenderedFile[] {
    return [
        { path: FIREWALL_RULESET_PATH, mode: "0644", owner: "root:root", content: renderFirewallRuleset(plan) },
        { path: FIREWALL_UNIT_PATH, mode: "0644", owner: "root:root", content: renderFirewallUnit() },
        { path: NFTABLES_DROPIN_PATH, mode: "0644", owner: "root:root", content: renderNftablesDropIn() },
    ];
}

/**
 * The \`firewall-confirm\` step. It must run after \`firewall\`, over a new SSH connection: that it
 * runs at all proves the new ruleset admits the deployer. It checks that the live table is this
 * ruleset, cancels the rollback, and persists: the ruleset file, ${FIREWALL_UNIT} (enabled), and
 * the nftables.service drop-in; it disables nftables.service when that would flush the ruleset.
 */
export function renderFirewallConfirm(plan: FirewallPlan, _ctx: HostContext): HostStep {
    const files = firewallConfirmFiles(plan);
    const hash = firewallRulesetHash(files[0].content);
    const body = `
hd_apt_install nftables

${sharedShell(hash)}

# hd_fw_cancel_rollback: stops the pending rollback, armed by the firewall step.
hd_fw_cancel_rollback() {
    local pending=0
    if hd_fw_systemd && systemctl is-active --quiet "$HD_FW_ROLLBACK_UNIT.timer"; then
        systemctl stop "$HD_FW_ROLLBACK_UNIT.timer"
        pending=1
    fi
    if [ -f "$HD_FW_ROLLBACK" ] || [ -f "$HD_FW_TOKEN" ]; then
        rm -f "$HD_FW_ROLLBACK" "$HD_FW_TOKEN"
        pending=1
    fi
    if [ "$pending" -eq 1 ]; then
        hd_log "changed: cancelled the firewall rollback"
    fi
}

${embedFile("firewall.nft", files[0].content)}
nft -c -f "$HD_TMP/firewall.nft" || hd_die "the ruleset does not pass nft -c; nothing was changed"
if ! hd_fw_is_current; then
    hd_die "the live table ${FIREWALL_TABLE} is not the ruleset the firewall step loaded (rolled back, or never loaded); run the firewall step again"
fi
hd_fw_cancel_rollback
if ! hd_fw_is_current; then
    hd_die "the rollback ran before it could be cancelled; run the firewall step again"
fi

changed=0
if hd_install_file "$HD_TMP/firewall.nft" ${files[0].path} ${files[0].mode} ${files[0].owner}; then changed=1; fi
${installFile("hardened-docker-firewall.service", files[1])}
${installFile("nftables-dropin.conf", files[2])}

if hd_fw_systemd; then
    if [ "$changed" -eq 1 ]; then
        systemctl daemon-reload
    fi
    if ! systemctl is-enabled --quiet ${FIREWALL_UNIT}; then
        systemctl enable --quiet ${FIREWALL_UNIT}
        hd_log "changed: enabled ${FIREWALL_UNIT}"
    fi
    if ! systemctl is-active --quiet ${FIREWALL_UNIT}; then
        # Loads the same ruleset again: the live table does not change.
        systemctl start ${FIREWALL_UNIT}
        hd_log "changed: started ${FIREWALL_UNIT}"
    fi
    # Not stopped: its ExecStop flushed the whole ruleset before the drop-in; disabled, it no longer
    # loads a configuration that starts with \`flush ruleset\` at boot.
    if systemctl is-enabled --quiet nftables.service 2>/dev/null &&
        grep -Eqs '^[[:space:]]*flush[[:space:]]+ruleset' /etc/nftables.conf; then
        systemctl disable --quiet nftables.service
        hd_log "changed: disabled nftables.service (its /etc/nftables.conf flushes Docker's rules)"
    fi
else
    hd_log "warning: systemd is not running here, so ${FIREWALL_UNIT} is not enabled"
fi
`;
    return {
        id: "firewall-confirm",
        title: "the firewall admits a new SSH connection, so its rollback is cancelled and it is persisted",
        cis: ["1.2.1"],
        script: prelude("firewall-confirm") + body,
        files,
        secret: false,
    };
}
