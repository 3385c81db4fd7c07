import { prelude } from "../shell";
import type { HostContext, HostStep } from "../step";
import type { MinimalPlan } from "./validate";

/** The last line of the script: tests run the script without it and call its functions instead. */
export const MINIMAL_MAIN = "minimal_main";

const BODY = `
# minimal_installed PKG: PKG is on the host (in any state but absent or configuration files only).
minimal_installed() {
    local status
    status=$(dpkg-query -W -f='\${db:Status-Status}' "$1" 2>/dev/null) || return 1
    case "$status" in
    "" | not-installed | config-files) return 1 ;;
    esac
    return 0
}

# minimal_check_purge PKG...: apt-get would also purge every package that depends on these, so the
# purge is simulated first and refused when it would touch any package not given.
minimal_check_purge() {
    local pkg action name
    local -a unexpected=()
    local -A given=()
    for pkg in "$@"; do
        given[$pkg]=1
    done
    if ! apt-get -s purge "$@" >"$HD_TMP/purge.sim" 2>&1; then
        cat "$HD_TMP/purge.sim" >&2
        hd_die "apt-get cannot purge $*"
    fi
    while read -r action name _; do
        case "$action" in
        Purg | Remv | Inst)
            if [ "$action" = Inst ] || [ -z "\${given[$name]:-}" ]; then
                unexpected+=("$action $name")
            fi
            ;;
        esac
    done <"$HD_TMP/purge.sim"
    if [ "\${#unexpected[@]}" -gt 0 ]; then
        hd_die "purging $* would also change other packages (\${unexpected[*]}): list those too, or take the packages they need out of args.minimal.removePackages"
    fi
}

# minimal_purge: purges the listed packages that are installed, and nothing else.
minimal_purge() {
    local pkg
    local -a present=()
    for pkg in "\${MINIMAL_PACKAGES[@]}"; do
        if minimal_installed "$pkg"; then
            present+=("$pkg")
        fi
    done
    [ "\${#present[@]}" -gt 0 ] || return 0
    minimal_check_purge "\${present[@]}"
    apt-get purge -y -qq "\${present[@]}" >/dev/null
    for pkg in "\${present[@]}"; do
        if minimal_installed "$pkg"; then
            hd_die "$pkg is still installed after apt-get purge"
        fi
        hd_log "changed: purged $pkg"
    done
}

# minimal_unit_on UNIT: UNIT is enabled (for good or until reboot) or running.
minimal_unit_on() {
    local enabled
    enabled=$(systemctl is-enabled "$1" 2>/dev/null) || true
    [ "$enabled" = enabled ] || [ "$enabled" = enabled-runtime ] || systemctl is-active --quiet "$1"
}

# minimal_disable: stops and disables the listed units that exist on the host.
minimal_disable() {
    local unit load
    if [ ! -d "$MINIMAL_SYSTEMD" ]; then
        hd_log "skipped: disabling units (systemd is not running here)"
        return 0
    fi
    for unit in "\${MINIMAL_UNITS[@]}"; do
        load=$(systemctl show -p LoadState --value "$unit" 2>/dev/null) || load=""
        if [ -z "$load" ] || [ "$load" = not-found ]; then
            continue
        fi
        minimal_unit_on "$unit" || continue
        if [ "$(systemctl is-enabled "$unit" 2>/dev/null || true)" = enabled-runtime ]; then
            systemctl disable --runtime --quiet "$unit"
        fi
        systemctl disable --now --quiet "$unit"
        hd_log "changed: disabled and stopped $unit"
        if minimal_unit_on "$unit"; then
            hd_die "$unit is still enabled or running after systemctl disable --now"
        fi
    done
}

minimal_main() {
    minimal_purge
    minimal_disable
}
`;

/** The minimal step: purge the listed services' packages, disable the listed units (CIS 1.2.1). */
export function renderMinimal(plan: MinimalPlan, _ctx: HostContext): HostStep {
    const script = [
        prelude("minimal"),
        "# Where systemd shows that it runs; tests point this elsewhere.",
        "MINIMAL_SYSTEMD=/run/systemd/system",
        "# Packages to purge when installed, and units to disable when present (sorted).",
        `MINIMAL_PACKAGES=(${plan.removePackages.join(" ")})`,
        `MINIMAL_UNITS=(${plan.disableServices.join(" ")})`,
        BODY,
        MINIMAL_MAIN,
        "",
    ].join("\n");
    return {
        id: "minimal",
        title: "Unneeded network services are purged or disabled",
        cis: ["1.2.1"],
        script,
        files: [],
        secret: false,
    };
}
