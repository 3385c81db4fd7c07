#!/usr/bin/env bash
# Writes to stdout a root filesystem tarball for the end-to-end run's stand-in images. The sandbox
# reaches no public registry, so the example's nginx-unprivileged and podinfo are replaced by one
# static busybox image that answers the same commands and health checks:
#   - the web front's default command serves /www on 8080 (busybox httpd), as user 101;
#   - `./podinfo --port=N ...` (in /home/app, podinfo's directory) serves /home/app/ui on N;
#     `podcli check http HOST:PORT/PATH` fetches it;
#   - `curl --fail --silent --output /dev/null URL` fetches URL (busybox wget), for the web check.
# Deterministic: same busybox, same bytes (sorted names, numeric owners, mtime 0).
set -euo pipefail

BUSYBOX="${BUSYBOX:-/bin/busybox}"
if [ ! -x "$BUSYBOX" ] || ! "$BUSYBOX" --list >/dev/null 2>&1; then
  echo "standin-rootfs: $BUSYBOX is not a working busybox; install busybox-static" >&2
  exit 1
fi
case "$(file -b "$BUSYBOX" 2>/dev/null || echo static)" in
  *dynamically*) echo "standin-rootfs: $BUSYBOX is dynamically linked; install busybox-static" >&2; exit 1 ;;
esac

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/usr/bin" "$root/usr/local/bin" "$root/etc" "$root/tmp" "$root/www" "$root/data" \
  "$root/home/app/ui"
chmod 1777 "$root/tmp"
cp "$BUSYBOX" "$root/bin/busybox"
for applet in sh httpd wget cat id ls touch echo sleep nc ps grep timeout dd chmod; do
  ln -s busybox "$root/bin/$applet"
done
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nginx:x:101:101:nginx:/www:/bin/sh' \
  'app:x:10001:10001:app:/data:/bin/sh' >"$root/etc/passwd"
printf '%s\n' 'root:x:0:' 'nginx:x:101:' 'app:x:10001:' >"$root/etc/group"
printf 'hardened-docker stand-in\n' >"$root/www/index.html"
printf 'ok\n' >"$root/www/healthz"
cp "$root/www/index.html" "$root/www/healthz" "$root/home/app/ui/"
chown 10001:10001 "$root/data"

cat >"$root/home/app/podinfo" <<'SH'
#!/bin/sh
# Stand-in for podinfo: serves /home/app/ui on --port=N.
port=9898
for a in "$@"; do
  case "$a" in --port=*) port=${a#--port=} ;; esac
done
exec /bin/httpd -f -p "$port" -h /home/app/ui
SH
cat >"$root/usr/local/bin/podcli" <<'SH'
#!/bin/sh
# Stand-in for `podcli check http HOST:PORT/PATH`.
[ "$1" = check ] && [ "$2" = http ] || { echo "podcli stand-in: only 'check http URL'" >&2; exit 2; }
# busybox wget -T crashes in this build, hence timeout. A static busybox cannot resolve names (glibc's NSS): localhost is spelled out.
case "$3" in
  localhost:*) url="127.0.0.1:${3#localhost:}" ;;
  *) url=$3 ;;
esac
exec /bin/timeout 5 /bin/wget -q -O /dev/null "http://$url"
SH
cat >"$root/usr/bin/curl" <<'SH'
#!/bin/sh
# Stand-in for `curl --fail --silent --output /dev/null URL`: the last argument is the URL.
for a in "$@"; do url=$a; done
exec /bin/timeout 5 /bin/wget -q -O /dev/null "$url"
SH
chmod 0755 "$root/home/app/podinfo" "$root/usr/local/bin/podcli" "$root/usr/bin/curl"

tar -C "$root" --sort=name --numeric-owner --mtime='@0' -c .
