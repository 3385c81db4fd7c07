import { createHash } from "node:crypto";
import type { HostStep, RenderedFile } from "./step";

/**
 * The prelude of every step script: strict mode, a private temporary directory, and the helpers
 * the steps share. Plain bash 5 and coreutils: nothing that a minimal Debian or Ubuntu lacks.
 */
export function prelude(stepId: string): string {
    if (!/^[a-z][a-z0-9-]*$/.test(stepId)) {
        throw new Error(`step id ${JSON.stringify(stepId)} must be [a-z][a-z0-9-]*`);
    }
    return `#!/bin/bash
# hardened-docker step: ${stepId}. Rendered by hardened-docker; edits on the host are overwritten.
set -euo pipefail
umask 022
export DEBIAN_FRONTEND=noninteractive LC_ALL=C
HD_STEP="${stepId}"
HD_TMP=$(mktemp -d)
trap 'rm -rf "$HD_TMP"' EXIT

hd_log() { printf 'hardened-docker[%s]: %s\\n' "$HD_STEP" "$*"; }
hd_die() { printf 'hardened-docker[%s]: error: %s\\n' "$HD_STEP" "$*" >&2; exit 1; }

# hd_install_file SRC DEST MODE OWNER: installs SRC at DEST atomically when the content, mode or
# owner differ. Returns 0 when it changed something, 1 when DEST was already right.
hd_install_file() {
    local src=$1 dest=$2 mode=$3 owner=$4
    local want
    want="$(printf '%o' "$((8#$mode))") $owner"
    if [ -f "$dest" ] && cmp -s "$src" "$dest" && [ "$(stat -c '%a %U:%G' "$dest")" = "$want" ]; then
        return 1
    fi
    if [ -f "$dest" ] && cmp -s "$src" "$dest"; then
        chmod "$mode" "$dest"
        chown "$owner" "$dest"
    else
        install -D -m "$mode" -o "\${owner%%:*}" -g "\${owner##*:}" "$src" "$dest.hd-new"
        mv -f "$dest.hd-new" "$dest"
    fi
    hd_log "changed: $dest"
    return 0
}

# hd_apt_install PKG...: installs the packages that are missing, and nothing else.
hd_apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        if [ "$(dpkg-query -W -f='\${Status}' "$pkg" 2>/dev/null || true)" != "install ok installed" ]; then
            missing+=("$pkg")
        fi
    done
    [ "\${#missing[@]}" -gt 0 ] || return 0
    hd_log "installing: \${missing[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold "\${missing[@]}" >/dev/null
}
`;
}

/**
 * A here-document that writes `content` to `$HD_TMP/<name>`. The delimiter is derived from the
 * content's hash, so no line of the content can end it early; the quoted delimiter stops expansion.
 */
export function embedFile(name: string, content: string): string {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(name)) {
        throw new Error(`embedded file name ${JSON.stringify(name)} must be [a-z0-9.-]`);
    }
    const tag = `HD_EOF_${createHash("sha256").update(content).digest("hex").slice(0, 16)}`;
    const body = content.endsWith("\n") ? content : `${content}\n`;
    if (body.split("\n").includes(tag)) {
        throw new Error(`content of ${name} contains its own delimiter`);
    }
    if (!content.endsWith("\n")) {
        // Keep the file byte-exact: drop the newline the here-document adds.
        return `cat >"$HD_TMP/${name}.nl" <<'${tag}'\n${body}${tag}\nprintf '%s' "$(cat "$HD_TMP/${name}.nl")" >"$HD_TMP/${name}"`;
    }
    return `cat >"$HD_TMP/${name}" <<'${tag}'\n${body}${tag}`;
}

/** The shell lines that embed a rendered file and install it, setting `changed=1` when it did. */
export function installFile(name: string, file: RenderedFile): string {
    if (
        !/^\/[A-Za-z0-9._\/-]+$/.test(file.path) ||
        !/^[0-7]{4}$/.test(file.mode) ||
        !/^[a-z_][a-z0-9_-]*:[a-z_][a-z0-9_-]*$/.test(file.owner)
    ) {
        throw new Error(
            `cannot install ${JSON.stringify(file.path)} ${file.mode} ${file.owner}: bad path, mode or owner`,
        );
    }
    return [
        embedFile(name, file.content),
        `if hd_install_file "$HD_TMP/${name}" ${file.path} ${file.mode} ${file.owner}; then changed=1; fi`,
    ].join("\n");
}

/** The sha256 of a step's script: the value that decides whether the step runs again. */
export function stepHash(step: HostStep): string {
    return createHash("sha256").update(step.script).digest("hex");
}
