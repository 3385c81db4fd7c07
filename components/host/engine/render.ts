import { embedFile, prelude } from "../shell";
import type { HostContext, HostStep } from "../step";
import { ENGINE_DEFAULTS } from "./defaults";
import type { EnginePlan } from "./validate";

/** Where Docker's release key is installed, once its fingerprint checks out. */
export const ENGINE_KEYRING_PATH = "/etc/apt/keyrings/docker.asc";

/** Docker's apt repository, as a deb822 sources file. */
export const ENGINE_SOURCES_PATH = "/etc/apt/sources.list.d/docker.sources";

/** The last line of the script: tests run the script without it and call its functions instead. */
export const ENGINE_MAIN = "engine_main";

/**
 * The sources file for Docker's repository, with `@ID@` (debian or ubuntu) and `@CODENAME@`
 * (bookworm, jammy, ...) filled in on the host from /etc/os-release: the one part of the step that
 * depends on the host, so it is not among the step's exact files.
 */
export function renderEngineSourcesTemplate(): string {
    return [
        "# hardened-docker engine: Docker's apt repository, signed by Docker's release key",
        `# ${ENGINE_DEFAULTS.dockerKeyFingerprint}, checked before the key was installed.`,
        "Types: deb",
        "URIs: https://download.docker.com/linux/@ID@",
        "Suites: @CODENAME@",
        "Components: stable",
        `Signed-By: ${ENGINE_KEYRING_PATH}`,
        "",
    ].join("\n");
}

const BODY = `
engine_systemd() { [ -d /run/systemd/system ]; }

# engine_installed PKG: PKG is installed (held or not).
engine_installed() {
    case "$(dpkg-query -W -f='\${Status}' "$1" 2>/dev/null || true)" in
        "install ok installed" | "hold ok installed") return 0 ;;
        *) return 1 ;;
    esac
}

# engine_held PKG: PKG is installed and on hold.
engine_held() {
    [ "$(dpkg-query -W -f='\${Status}' "$1" 2>/dev/null || true)" = "hold ok installed" ]
}

# engine_version_of PKG: the installed version of PKG, or nothing.
engine_version_of() {
    if engine_installed "$1"; then
        dpkg-query -W -f='\${Version}' "$1"
    fi
}

# engine_versions: "pkg=version ..." of the engine's packages, to tell whether a run changed them.
engine_versions() {
    local pkg
    for pkg in "\${engine_pinned[@]}" "\${engine_other[@]}"; do
        printf '%s=%s ' "$pkg" "$(engine_version_of "$pkg")"
    done
}

# engine_ensure PKG...: installs the packages that are missing, and says so.
engine_ensure() {
    local pkg
    local -a missing=()
    for pkg in "$@"; do
        if ! engine_installed "$pkg"; then
            missing+=("$pkg")
        fi
    done
    if [ "\${#missing[@]}" -gt 0 ]; then
        hd_apt_install "\${missing[@]}"
        hd_log "changed: installed \${missing[*]}"
    fi
}

engine_kernel_apparmor() {
    [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null || true)" = Y ]
}

# engine_apparmor: AppArmor's tools and service, so dockerd can load docker-default (CIS 5.2).
engine_apparmor() {
    engine_ensure apparmor apparmor-utils
    if ! engine_kernel_apparmor; then
        hd_log "warning: this kernel has no AppArmor (or it is disabled at boot): containers get no docker-default profile (CIS 5.2); boot with apparmor=1 security=apparmor"
        return 0
    fi
    if engine_systemd; then
        if ! systemctl is-enabled --quiet apparmor.service; then
            systemctl enable --quiet apparmor.service
            hd_log "changed: enabled apparmor.service"
        fi
        if ! systemctl is-active --quiet apparmor.service; then
            systemctl start apparmor.service
            hd_log "changed: started apparmor.service"
        fi
    fi
    aa-status --enabled || hd_die "AppArmor is not enabled (aa-status --enabled) although the kernel has it (CIS 5.2)"
}
`;

const DOCKER_REPO = (sourcesTemplate: string) => `
# engine_key_ok FILE: FILE holds exactly one OpenPGP primary key, and it is Docker's release key.
engine_key_ok() {
    local fprs
    install -d -m 0700 "$HD_TMP/gnupg"
    fprs=$(GNUPGHOME="$HD_TMP/gnupg" gpg --batch --quiet --with-colons --show-keys "$1" 2>/dev/null |
        awk -F: '$1 == "pub" { want = 1; next } want && $1 == "fpr" { print $10; want = 0 }') || return 1
    [ "$fprs" = "$engine_key_fpr" ]
}

# engine_os_field NAME: a field of /etc/os-release, unquoted, if it is a plain lower-case word.
engine_os_field() {
    local value
    value=$(sed -n "s/^$1=//p" /etc/os-release | tr -d '"')
    if [[ "$value" =~ ^[a-z]+$ ]]; then
        printf '%s' "$value"
    fi
}

# engine_docker_repo: Docker's apt repository, trusted only with Docker's release key.
engine_docker_repo() {
    local id codename url
    engine_ensure ca-certificates curl gpg
    id=$(engine_os_field ID)
    codename=$(engine_os_field VERSION_CODENAME)
    case "$id" in
        debian | ubuntu) ;;
        *) hd_die "Docker's apt repository serves Debian and Ubuntu; /etc/os-release says ID=\${id:-unknown}" ;;
    esac
    [ -n "$codename" ] || hd_die "/etc/os-release has no VERSION_CODENAME"
    if [ ! -f "$engine_keyring" ] || ! engine_key_ok "$engine_keyring"; then
        url="https://download.docker.com/linux/$id/gpg"
        curl --proto '=https' --tlsv1.2 -fsSL --retry 3 -o "$HD_TMP/docker.asc" "$url" || hd_die "cannot fetch $url"
        engine_key_ok "$HD_TMP/docker.asc" || hd_die "the key at $url is not Docker's release key $engine_key_fpr: not trusting it"
        hd_install_file "$HD_TMP/docker.asc" "$engine_keyring" 0644 root:root || true
    fi
${embedFile("docker.sources.in", sourcesTemplate)}
    sed -e "s/@ID@/$id/" -e "s/@CODENAME@/$codename/" "$HD_TMP/docker.sources.in" >"$HD_TMP/docker.sources"
    hd_install_file "$HD_TMP/docker.sources" "$engine_sources" 0644 root:root || true
}
`;

const PACKAGES = `
# engine_packages: installs the engine at the pinned version (and holds it), or at the newest.
engine_packages() {
    local pkg installed before after
    local -a install=() upgrade=()
    for pkg in "\${engine_refused[@]}"; do
        if engine_installed "$pkg"; then
            hd_die "$pkg from Docker's repository is installed: the distribution's docker.io would be a downgrade; remove $pkg yourself, or keep source \\"docker\\""
        fi
    done
    before=$(engine_versions)
    apt-get update -qq
    if [ "$engine_version" = latest ]; then
        for pkg in "\${engine_pinned[@]}"; do
            if engine_held "$pkg"; then
                apt-mark unhold "$pkg" >/dev/null
                hd_log "changed: released the hold on $pkg"
            fi
        done
        for pkg in "\${engine_pinned[@]}" "\${engine_other[@]}"; do
            if engine_installed "$pkg"; then
                upgrade+=("$pkg")
            else
                install+=("$pkg")
            fi
        done
        if [ "\${#upgrade[@]}" -gt 0 ]; then
            apt-get install -y -qq --only-upgrade --no-install-recommends -o Dpkg::Options::=--force-confold "\${upgrade[@]}" >/dev/null
        fi
    else
        for pkg in "\${engine_pinned[@]}"; do
            installed=$(engine_version_of "$pkg")
            if [ -n "$installed" ] && dpkg --compare-versions "$installed" gt "$engine_version"; then
                hd_die "$pkg $installed is installed, newer than the pinned $engine_version: not downgrading Docker"
            fi
            if [ "$installed" != "$engine_version" ]; then
                install+=("$pkg=$engine_version")
            fi
        done
        for pkg in "\${engine_other[@]}"; do
            if ! engine_installed "$pkg"; then
                install+=("$pkg")
            fi
        done
    fi
    if [ "\${#install[@]}" -gt 0 ]; then
        apt-get install -y -qq --no-install-recommends --allow-change-held-packages -o Dpkg::Options::=--force-confold "\${install[@]}" >/dev/null
    fi
    if [ "$engine_version" != latest ]; then
        for pkg in "\${engine_pinned[@]}"; do
            if ! engine_held "$pkg"; then
                apt-mark hold "$pkg" >/dev/null
                hd_log "changed: holding $pkg at $engine_version"
            fi
        done
    fi
    after=$(engine_versions)
    if [ "$before" != "$after" ]; then
        hd_log "changed: $after"
    fi
}

# engine_service: dockerd enabled and running.
engine_service() {
    if ! engine_systemd; then
        return 0
    fi
    if ! systemctl is-enabled --quiet docker.service; then
        systemctl enable --quiet docker.service
        hd_log "changed: enabled docker.service"
    fi
    if ! systemctl is-active --quiet docker.service; then
        systemctl start docker.service
        hd_log "changed: started docker.service"
    fi
}

engine_security_options() {
    docker info --format '{{json .SecurityOptions}}' || hd_die "docker info failed: is dockerd running?"
}

# engine_verify: with AppArmor in the kernel, dockerd must report it (CIS 5.2). dockerd looks for
# AppArmor when it starts, so one restart picks up AppArmor installed after it.
engine_verify() {
    local options
    engine_kernel_apparmor || return 0
    options=$(engine_security_options)
    if [[ "$options" != *'"name=apparmor"'* ]] && engine_systemd; then
        systemctl restart docker.service
        hd_log "changed: restarted docker.service to load AppArmor"
        options=$(engine_security_options)
    fi
    if [[ "$options" != *'"name=apparmor"'* ]]; then
        hd_die "docker info shows no AppArmor among its security options $options (CIS 5.2)"
    fi
}
`;

/** A bash array literal of validated package names. */
function array(values: readonly string[]): string {
    return `(${values.join(" ")})`;
}

/**
 * The engine step (CIS 1.2.2, and AppArmor for 5.2): installs AppArmor, then the engine from the
 * chosen source at the newest or a pinned version, and checks that dockerd reports AppArmor.
 */
export function renderEngine(plan: EnginePlan, _ctx: HostContext): HostStep {
    const docker = plan.source === "docker";
    const values = [
        "# Rendered values.",
        `engine_version='${plan.version}'`,
        `engine_pinned=${array(plan.pinnedPackages)}`,
        `engine_other=${array(plan.otherPackages)}`,
        `engine_refused=${array(plan.refusedPackages)}`,
        ...(docker
            ? [
                  `engine_key_fpr=${ENGINE_DEFAULTS.dockerKeyFingerprint}`,
                  `engine_keyring=${ENGINE_KEYRING_PATH}`,
                  `engine_sources=${ENGINE_SOURCES_PATH}`,
              ]
            : []),
    ].join("\n");
    const main = [
        `${ENGINE_MAIN}() {`,
        "    engine_apparmor",
        ...(docker ? ["    engine_docker_repo"] : []),
        "    engine_packages",
        "    engine_service",
        "    engine_verify",
        "}",
    ].join("\n");
    const version = plan.version === "latest" ? "the newest version" : `version ${plan.version}, held`;
    return {
        id: "engine",
        title: `Docker from ${docker ? "Docker's apt repository" : "the distribution"} at ${version}, with AppArmor`,
        cis: ["1.2.2", "5.2"],
        script: `${prelude("engine")}\n${[
            values,
            BODY,
            ...(docker ? [DOCKER_REPO(renderEngineSourcesTemplate())] : []),
            PACKAGES,
            main,
            ENGINE_MAIN,
        ]
            .map((part) => part.trim())
            .join("\n\n")}\n`,
        files: [],
        secret: false,
    };
}
