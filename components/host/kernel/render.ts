import { embedFile, prelude } from "../shell";
import type { HostContext, HostStep, RenderedFile } from "../step";
import type { KernelPlan } from "./validate";

/** Where the settings live; systemd-sysctl (or procps at boot) applies them again at every boot. */
export const KERNEL_SYSCTL_PATH = "/etc/sysctl.d/60-hardened-docker.conf";

/** The last line of the script: tests run the script without it and call its functions instead. */
export const KERNEL_MAIN = "kernel_main";

/** The sysctl.d file: a comment with the reason above each group, then `key = value` lines. */
export function renderKernelSysctl(plan: KernelPlan): string {
    const lines = [
        "# hardened-docker: kernel settings of a Docker host (CIS Docker Benchmark v1.6.0 1.2.1).",
        "# Rendered by hardened-docker; edits on the host are overwritten.",
    ];
    for (const group of plan.groups) {
        lines.push("", `# ${group.why}`, ...group.settings.map((s) => `${s.key} = ${s.value}`));
    }
    if (plan.extra.length > 0) {
        lines.push("", "# Extra settings (args.kernel.extra).", ...plan.extra.map((s) => `${s.key} = ${s.value}`));
    }
    return `${lines.join("\n")}\n`;
}

const BODY = `
# kernel_settings FILE: prints "key<TAB>value" for each setting of a sysctl.d file, the value's
# whitespace collapsed to single spaces (multi-value keys read back tab-separated from /proc/sys).
kernel_settings() {
    local line key value
    local -a words
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in "" | "#"* | ";"*) continue ;; esac
        key=\${line%%=*}
        value=\${line#*=}
        read -r key <<<"$key"
        read -ra words <<<"$value"
        printf '%s\\t%s\\n' "$key" "\${words[*]}"
    done <"$1"
}

# kernel_proc_path KEY: the file under PROC_SYS that holds KEY.
kernel_proc_path() {
    printf '%s/%s' "$PROC_SYS" "\${1//.//}"
}

# kernel_current KEY: the running value of KEY, whitespace collapsed as kernel_settings does.
kernel_current() {
    local -a words=()
    read -ra words <"$(kernel_proc_path "$1")" || true
    printf '%s' "\${words[*]}"
}

# kernel_pending FILE OUT: writes to OUT, as a sysctl.d file, the settings of FILE whose running
# value differs. A key this kernel does not have (Yama, BPF on some builds) is logged and skipped.
kernel_pending() {
    local key value
    : >"$2"
    while IFS=$'\\t' read -r key value; do
        if [ ! -e "$(kernel_proc_path "$key")" ]; then
            hd_log "skipped: $key (this kernel does not have it)"
            continue
        fi
        if [ "$(kernel_current "$key")" != "$value" ]; then
            printf '%s = %s\\n' "$key" "$value" >>"$2"
        fi
    done < <(kernel_settings "$1")
}

# kernel_verify FILE: every setting of FILE that this kernel has reads back as written.
kernel_verify() {
    local key value got bad=0
    while IFS=$'\\t' read -r key value; do
        [ -e "$(kernel_proc_path "$key")" ] || continue
        got=$(kernel_current "$key")
        if [ "$got" != "$value" ]; then
            printf 'hardened-docker[%s]: %s is "%s", expected "%s"\\n' "$HD_STEP" "$key" "$got" "$value" >&2
            bad=1
        fi
    done < <(kernel_settings "$1")
    return "$bad"
}

# kernel_ra_guard: refuses to turn router advertisements off while the kernel holds an IPv6 default
# route it learned from one (flag RTF_ADDRCONF, 0x40000): after a reboot the route would be gone,
# and with it any SSH over IPv6.
kernel_ra_guard() {
    local dest plen flags dev
    [ -r "$PROC_NET/ipv6_route" ] || return 0
    while read -r dest plen _ _ _ _ _ _ flags dev; do
        if [ "$dest" = 00000000000000000000000000000000 ] && [ "$plen" = 00 ] &&
            [[ $flags =~ ^[0-9a-f]{8}$ ]] && (((16#$flags & 0x40000) != 0)); then
            hd_die "the IPv6 default route via $dev comes from a router advertisement, which this step would turn off at the next boot: set args.kernel.acceptRouterAdvertisements to true"
        fi
    done <"$PROC_NET/ipv6_route"
}

# kernel_apply FILE: sets the running values that differ from FILE. The candidate is applied before
# it is installed, so a value the kernel refuses never becomes the boot configuration.
kernel_apply() {
    local line
    kernel_pending "$1" "$HD_TMP/pending.conf"
    [ -s "$HD_TMP/pending.conf" ] || return 0
    if ! sysctl -q -p "$HD_TMP/pending.conf" >"$HD_TMP/sysctl.out" 2>&1; then
        cat "$HD_TMP/sysctl.out" >&2
        hd_die "the kernel refused a setting; $KERNEL_CONF is left as it was"
    fi
    while IFS= read -r line; do
        hd_log "changed: $line"
    done <"$HD_TMP/pending.conf"
}
`;

/** The kernel step: install the sysctl.d file, apply what differs, verify every key reads back. */
export function renderKernel(plan: KernelPlan, _ctx: HostContext): HostStep {
    const file: RenderedFile = {
        path: KERNEL_SYSCTL_PATH,
        mode: "0644",
        owner: "root:root",
        content: renderKernelSysctl(plan),
    };
    const main = [
        "kernel_main() {",
        "    hd_apt_install procps",
        ...(plan.acceptRouterAdvertisements ? [] : ["    kernel_ra_guard"]),
        `    kernel_apply "$HD_TMP/${NAME}"`,
        `    hd_install_file "$HD_TMP/${NAME}" "$KERNEL_CONF" ${file.mode} ${file.owner} || true`,
        `    kernel_verify "$HD_TMP/${NAME}" || hd_die "kernel settings did not read back as written (see above)"`,
        "}",
    ];
    const script = [
        prelude("kernel"),
        "# Where the running kernel's settings are read; tests point these at a fake tree.",
        "PROC_SYS=/proc/sys",
        "PROC_NET=/proc/net",
        `KERNEL_CONF=${KERNEL_SYSCTL_PATH}`,
        "",
        embedFile(NAME, file.content),
        BODY,
        ...main,
        "",
        KERNEL_MAIN,
        "",
    ].join("\n");
    return {
        id: "kernel",
        title: "Kernel settings hardened for a Docker host, with IP forwarding kept on",
        cis: ["1.2.1"],
        script,
        files: [file],
        secret: false,
    };
}

const NAME = "60-hardened-docker.conf";
