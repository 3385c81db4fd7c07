#!/usr/bin/env bash
# Regenerates components/container/seccomp/dockerDefault.ts: Docker's default seccomp profile
# (moby's profiles/seccomp/default.json), as Debian 12 ships it in golang-github-docker-docker-dev,
# the source of the docker.io engine the sandbox runs. Needs apt (Debian's mirror) and dpkg-deb.
set -euo pipefail
cd "$(dirname "$0")/../.."

PACKAGE=golang-github-docker-docker-dev
JSON=usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && apt-get download "$PACKAGE" >/dev/null 2>&1)
deb=$(find "$work" -name "${PACKAGE}_*.deb" | head -n 1)
[ -n "$deb" ] || { echo "apt-get download $PACKAGE gave no package" >&2; exit 1; }
version=$(dpkg-deb -f "$deb" Version)
dpkg-deb -x "$deb" "$work/x"
node scripts/seccomp/render-default.js "$work/x/$JSON" "$PACKAGE $version" >components/container/seccomp/dockerDefault.ts
npx prettier --write components/container/seccomp/dockerDefault.ts >/dev/null
echo "components/container/seccomp/dockerDefault.ts from $PACKAGE $version"
