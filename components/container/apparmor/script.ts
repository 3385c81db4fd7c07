import { embedFile, prelude } from "../../host/shell";
import type { AppArmorPlan } from "./profile";

/** The last line of the load script: tests run the script without it and call its functions instead. */
export const APPARMOR_MAIN = "apparmor_main";

/** Where the kernel lists the loaded profiles and their modes. */
const KERNEL_PROFILES = "/sys/kernel/security/apparmor/profiles";

const BODY = `
# apparmor_ready: the kernel enforces AppArmor and the parser is installed (the engine step installs it).
apparmor_ready() {
    [ "$(cat "$APPARMOR_ENABLED" 2>/dev/null || true)" = Y ] ||
        hd_die "this kernel does not enforce AppArmor (boot with apparmor=1 security=apparmor): profile $APPARMOR_NAME cannot confine the container (CIS 5.2)"
    command -v apparmor_parser >/dev/null || hd_die "apparmor_parser is missing: install the apparmor package (HardenedHost's engine step does)"
}

# apparmor_mode: the loaded profile's mode ("enforce", "complain", ...), or nothing when not loaded.
apparmor_mode() {
    local line
    while IFS= read -r line; do
        if [ "\${line% (*}" = "$APPARMOR_NAME" ]; then
            line=\${line##* (}
            printf '%s' "\${line%)}"
            return 0
        fi
    done <"$APPARMOR_KERNEL_PROFILES"
}

# apparmor_load: checks the profile with the parser, installs it, and loads it (replacing the
# loaded one). A profile the parser refuses changes nothing on the host.
apparmor_load() {
    local out
    # A profile of that name that this component did not install (the distribution's, another
    # tool's) is never replaced: its owner would lose it, and removing the container would unload it.
    if [ -n "$(apparmor_mode)" ] && [ ! -f "$APPARMOR_PATH" ]; then
        hd_die "a profile named $APPARMOR_NAME is loaded and was not installed by hardened-docker: choose another args.appArmor.name"
    fi
    if ! out=$(apparmor_parser --skip-kernel-load --skip-cache "$HD_TMP/profile" 2>&1); then
        hd_die "apparmor_parser refuses profile $APPARMOR_NAME (args.appArmor): $out"
    fi
    hd_install_file "$HD_TMP/profile" "$APPARMOR_PATH" 0644 root:root || true
    if ! out=$(apparmor_parser --replace "$APPARMOR_PATH" 2>&1); then
        hd_die "apparmor_parser could not load $APPARMOR_PATH: $out"
    fi
    hd_log "loaded: $APPARMOR_NAME from $APPARMOR_PATH"
}

# apparmor_verify: the kernel holds the profile in enforce mode.
apparmor_verify() {
    local mode
    mode=$(apparmor_mode)
    [ "$mode" = enforce ] ||
        hd_die "profile $APPARMOR_NAME is \${mode:-not loaded}, expected enforce (CIS 5.2)"
}

apparmor_main() {
    apparmor_ready
    apparmor_load
    apparmor_verify
    printf 'apparmor=%s mode=enforce sha256=%s\\n' "$APPARMOR_NAME" "$APPARMOR_SHA256"
}
`;

/**
 * The script that installs, loads and checks a container's profile, run as root on the host with
 * the profile embedded (it travels on stdin, never on a command line). Idempotent: the file is
 * rewritten only when it differs, and loading replaces the kernel's copy with the same text.
 */
export function renderAppArmorLoadScript(plan: AppArmorPlan): string {
    return [
        prelude("apparmor"),
        `APPARMOR_NAME=${plan.name}`,
        `APPARMOR_PATH=${plan.path}`,
        `APPARMOR_SHA256=${plan.sha256}`,
        `APPARMOR_KERNEL_PROFILES=${KERNEL_PROFILES}`,
        "APPARMOR_ENABLED=/sys/module/apparmor/parameters/enabled",
        embedFile("profile", plan.text),
        BODY,
        APPARMOR_MAIN,
        "",
    ].join("\n");
}

/**
 * The command that unloads and removes a profile when its container's component is deleted (the
 * container is deleted first: it depends on the profile). Root through sudo, as every step runs;
 * a profile already gone is not an error.
 */
export function renderAppArmorUnloadCommand(plan: AppArmorPlan): string {
    const inner = `if [ -f ${plan.path} ]; then apparmor_parser --remove ${plan.path} 2>/dev/null || true; rm -f ${plan.path}; fi`;
    return `if [ "$(id -u)" -eq 0 ]; then sh -c '${inner}'; else sudo -n sh -c '${inner}'; fi`;
}
