import { installFile, prelude } from "../shell";
import type { HostContext, HostStep, RenderedFile } from "../step";
import { DATA_VOLUME_DEFAULTS } from "./defaults";
import type { DataVolumePlan } from "./validate";

/** The systemd drop-in that makes Docker wait for its data root's mount. */
export const DATA_VOLUME_DROPIN_PATH = "/etc/systemd/system/docker.service.d/10-hardened-docker-data-root.conf";

/** The comment line above the step's one fstab entry: the entry it replaces, and only that one. */
export const DATA_VOLUME_FSTAB_MARK =
    "# hardened-docker data-volume (CIS 1.1.1): the next line mounts the Docker data root; managed, edits are overwritten";

/** The last line of the script: tests run the script without it and call its functions instead. */
export const DATA_VOLUME_MAIN = "dv_main";

/** Single-quotes a value for bash (values are validated; this keeps them inert regardless). */
function shq(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The drop-in: Docker starts only with its data root mounted, never on the empty mount point. */
export function renderDataVolumeDropIn(plan: DataVolumePlan): string {
    return [
        "# hardened-docker data-volume (CIS 1.1.1): Docker starts only when its data root is mounted,",
        "# never on the empty directory below it. Rendered by hardened-docker; edits are overwritten.",
        "[Unit]",
        `RequiresMountsFor=${plan.dataRoot}`,
        "",
    ].join("\n");
}

const BODY = `
dv_tmp_mnt=""
dv_backup=""
dv_fstab_saved=""
dv_at_root=0
dv_switching=0
dv_type=""
dv_pttype=""
dv_stopped=()
# Present at the root of the new filesystem while the copy is unfinished.
dv_partial=.hardened-docker-unfinished-copy

dv_systemd() { [ -d /run/systemd/system ]; }

dv_systemd_reload() {
    if dv_systemd; then
        systemctl daemon-reload
    fi
}

# dv_docker_start: starts the Docker units this script stopped, once.
dv_docker_start() {
    if [ "\${#dv_stopped[@]}" -gt 0 ]; then
        hd_log "starting \${dv_stopped[*]}"
        systemctl start "\${dv_stopped[@]}" || hd_log "warning: could not start \${dv_stopped[*]}"
        dv_stopped=()
    fi
}

# At exit, whatever happened (a signal included): unmount the temporary mount (never delete
# through it) and start Docker again if this script stopped it.
dv_cleanup() {
    set +e
    trap '' HUP INT TERM PIPE
    if [ -n "$dv_tmp_mnt" ]; then
        if mountpoint -q "$dv_tmp_mnt"; then
            umount "$dv_tmp_mnt" || hd_log "warning: could not unmount $dv_tmp_mnt"
        fi
        rmdir "$dv_tmp_mnt" 2>/dev/null || true
    fi
    if [ "$dv_switching" = 1 ]; then
        dv_rollback
    fi
    dv_docker_start
    rm -rf "$HD_TMP"
}
trap dv_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

# dv_find: prints the device's canonical path, or nothing while it has not appeared.
dv_find() {
    local f serial
    if [ -n "$dv_device_path" ]; then
        if [ -e "$dv_device_path" ]; then
            readlink -f "$dv_device_path"
        fi
        return 0
    fi
    if [ -e "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_$dv_aws_serial" ]; then
        readlink -f "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_$dv_aws_serial"
        return 0
    fi
    # Without udev's link: the NVMe controller's serial is the volume id without the dash.
    for f in /sys/block/*/device/serial; do
        [ -r "$f" ] || continue
        serial=$(tr -d '[:space:]' <"$f")
        if [ "$serial" = "$dv_aws_serial" ]; then
            f=\${f%/device/serial}
            printf '/dev/%s\\n' "\${f##*/}"
            return 0
        fi
    done
}

# dv_resolve: prints the device's path, waiting up to dv_wait seconds for it to appear.
dv_resolve() {
    local dev waited=0
    while :; do
        dev=$(dv_find)
        if [ -n "$dev" ]; then
            printf '%s\\n' "$dev"
            return 0
        fi
        if [ "$waited" -ge "$dv_wait" ]; then
            hd_die "$dv_device_name did not appear within $dv_wait s; is it attached to this host?"
        fi
        sleep 2
        waited=$((waited + 2))
    done
}

# dv_check_not_root DEV: refuses the disk that holds / and every partition or volume on it.
dv_check_not_root() {
    local dev=$1 src root_tree k
    src=$(findmnt -n -r -v -o SOURCE /) || src=""
    if [ ! -b "$src" ]; then
        hd_log "warning: / is on \${src:-an unknown source}, not a block device: cannot tell which disk holds it"
        return 0
    fi
    # The root filesystem's device and everything it lives on (partition, disk, LVM PVs, RAID).
    root_tree=$(lsblk -nrs -o KNAME "$src")
    for k in $(lsblk -nrs -o KNAME "$dev"); do
        if printf '%s\\n' "$root_tree" | grep -qxF "$k"; then
            hd_die "$dev is, or is on, the disk that holds / ($src): refusing it"
        fi
    done
}

# dv_check_unused DEV MAJ:MIN: refuses a device with partitions or holders, mounted anywhere but
# the data root, or used as swap. Sets dv_at_root=1 when it is mounted at the data root.
dv_check_unused() {
    local dev=$1 majmin=$2 tree mm target f
    tree=$(lsblk -nr -o KNAME "$dev")
    if [ "$(printf '%s\\n' "$tree" | wc -l)" -gt 1 ]; then
        hd_die "$dev has partitions or holders (LVM, RAID, dm-crypt): $(printf '%s\\n' "$tree" | tail -n +2 | tr '\\n' ' ')- give an unused device"
    fi
    dv_at_root=0
    while read -r mm target; do
        [ "$mm" = "$majmin" ] || continue
        if [ "$target" = "$dv_root" ]; then
            dv_at_root=1
        elif [[ "$target" == /run/hardened-docker-data.* ]]; then
            # The trial mount of a run that was killed: ours, so unmount it (nothing is deleted).
            umount "$target"
            rmdir "$target"
            hd_log "unmounted $target, left by an interrupted run"
        elif [ "\${target#"$dv_root"/}" = "$target" ]; then
            hd_die "$dev is mounted at $target: unmount it (and drop it from fstab) or choose another device"
        fi
    done < <(findmnt -rn -o MAJ:MIN,TARGET)
    while read -r f _; do
        [ "$f" != Filename ] || continue
        if [ "$(readlink -f "$f")" = "$dev" ]; then
            hd_die "$dev is in use as swap"
        fi
    done </proc/swaps
}

# dv_probe DEV: sets dv_type and dv_pttype from a low-level probe (no cache).
dv_probe() {
    local out rc=0
    out=$(blkid -p -o export "$1") || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
        hd_die "blkid -p $1 failed (exit $rc: several or damaged signatures?); not touching it"
    fi
    dv_type=$(printf '%s\\n' "$out" | sed -n 's/^TYPE=//p')
    dv_pttype=$(printf '%s\\n' "$out" | sed -n 's/^PTTYPE=//p')
}

# dv_blank DEV: true when no tool sees any signature on DEV.
dv_blank() {
    local sigs cached
    if [ -n "$dv_type" ] || [ -n "$dv_pttype" ]; then
        return 1
    fi
    sigs=$(wipefs --no-act --noheadings --output TYPE "$1") || hd_die "wipefs cannot read $1"
    cached=$(lsblk -dnr -o FSTYPE,PTTYPE "$1" | tr -d ' ')
    [ -z "$sigs" ] && [ -z "$cached" ]
}

# dv_check_zeroed DEV BYTES: a device without signatures may still hold data (raw, or encrypted
# without a header). Its first and last 16 MiB (where headers and metadata live) and 64 MiB spread
# evenly over it must read as zeroes; a device of 96 MiB or less is read whole.
dv_check_zeroed() {
    local dev=$1 mib=$(($2 / 1048576)) at i
    local -a offsets=()
    if [ "$mib" -le 96 ]; then
        for ((i = 0; i < mib; i++)); do
            offsets+=("$i")
        done
    else
        for ((i = 0; i < 16; i++)); do
            offsets+=("$i" "$((mib - 16 + i))")
        done
        for ((i = 0; i < 64; i++)); do
            offsets+=("$((mib * i / 64))")
        done
    fi
    for at in "\${offsets[@]}"; do
        if ! cmp -s -n 1048576 <(dd if="$dev" bs=1M skip="$at" count=1 status=none) /dev/zero; then
            hd_die "$dev has no filesystem or partition table but is not blank (data in MiB $at): it may hold raw or encrypted data; not formatting it. If nothing on it is needed, wipe it yourself (blkdiscard, or zeroes with dd) and run again"
        fi
    done
}

dv_mkfs() {
    hd_log "changed: formatting blank $1 as $dv_fs (label $dv_label)"
    case "$dv_fs" in
        ext4) mkfs.ext4 -q -L "$dv_label" -E nodiscard "$1" </dev/null ;;
        xfs) mkfs.xfs -q -K -L "$dv_label" -n ftype=1 "$1" </dev/null ;;
    esac
    if command -v udevadm >/dev/null; then
        udevadm settle --timeout=30 || true
    fi
}

# dv_fstab_prepare UUID FSTYPE: writes the candidate fstab (the current one without our entry,
# then our entry) to $HD_TMP/fstab.new and checks it with findmnt --verify. Installs nothing.
dv_fstab_prepare() {
    local uuid=$1 fstype=$2 passno=0 before after
    case "$fstype" in ext2 | ext3 | ext4) passno=2 ;; esac
    if [ -f "$dv_fstab" ]; then
        awk -v mark="$dv_mark" 'skip { skip = 0; next } $0 == mark { skip = 1; next } { print }' "$dv_fstab" >"$HD_TMP/fstab.others"
    else
        : >"$HD_TMP/fstab.others"
    fi
    if awk -v root="$dv_root" '$1 !~ /^#/ && $2 == root { found = 1 } END { exit !found }' "$HD_TMP/fstab.others"; then
        hd_die "$dv_fstab has an entry for $dv_root that hardened-docker did not write; remove it and run again"
    fi
    printf '%s\\nUUID=%s %s %s %s 0 %s\\n' "$dv_mark" "$uuid" "$dv_root" "$fstype" "$dv_fstab_options" "$passno" >"$HD_TMP/fstab.ours"
    cat "$HD_TMP/fstab.others" "$HD_TMP/fstab.ours" >"$HD_TMP/fstab.new"
    if ! findmnt --verify --tab-file "$HD_TMP/fstab.ours" >"$HD_TMP/verify.log" 2>&1; then
        hd_die "the fstab entry for $dv_root fails findmnt --verify: $(tr '\\n' ' ' <"$HD_TMP/verify.log")"
    fi
    if ! findmnt --verify --tab-file "$HD_TMP/fstab.new" >"$HD_TMP/verify.log" 2>&1; then
        # Tolerate only the problems the installed fstab already has.
        after=$(tail -n 1 "$HD_TMP/verify.log")
        before=$(findmnt --verify --tab-file "$dv_fstab" 2>&1 | tail -n 1) || true
        if [ "$before" != "$after" ]; then
            hd_die "the new $dv_fstab fails findmnt --verify: $(tr '\\n' ' ' <"$HD_TMP/verify.log")"
        fi
        hd_log "warning: $dv_fstab already has problems that findmnt --verify reports ($before); the entry for $dv_root adds none"
    fi
}

# dv_fstab_commit: installs the candidate fstab when it differs, keeping the previous one for
# dv_fstab_restore. Returns non-zero on failure (it runs where set -e does not).
dv_fstab_commit() {
    if [ -f "$dv_fstab" ] && cmp -s "$HD_TMP/fstab.new" "$dv_fstab"; then
        return 0
    fi
    if [ -f "$dv_fstab" ]; then
        cp -p "$dv_fstab" "$HD_TMP/fstab.prev" || return 1
        dv_fstab_saved=1
    else
        dv_fstab_saved=none
    fi
    install -m 0644 "$HD_TMP/fstab.new" "$dv_fstab.hd-new" || return 1
    if ! mv -f "$dv_fstab.hd-new" "$dv_fstab"; then
        rm -f "$dv_fstab.hd-new"
        return 1
    fi
    hd_log "changed: $dv_fstab mounts $dv_root by UUID"
    dv_systemd_reload
}

# dv_fstab_restore: puts back the fstab that dv_fstab_commit replaced, if it did.
dv_fstab_restore() {
    case "$dv_fstab_saved" in
        1)
            if cmp -s "$HD_TMP/fstab.prev" "$dv_fstab"; then
                return 0
            fi
            if ! cp -p "$HD_TMP/fstab.prev" "$dv_fstab.hd-new" || ! mv -f "$dv_fstab.hd-new" "$dv_fstab"; then
                hd_log "error: could not restore $dv_fstab: remove the entry below the line '$dv_mark' by hand"
                return 1
            fi
            ;;
        none) rm -f "$dv_fstab" ;;
        *) return 0 ;;
    esac
    hd_log "restored $dv_fstab"
    dv_systemd_reload || true
}

dv_unmount_tmp() {
    umount "$dv_tmp_mnt"
    rmdir "$dv_tmp_mnt"
    dv_tmp_mnt=""
}

# dv_docker_stop: stops Docker (socket first, so nothing starts it again) for a consistent copy.
dv_docker_stop() {
    local unit
    if dv_systemd; then
        for unit in docker.socket docker.service; do
            if systemctl is-active --quiet "$unit"; then
                dv_stopped+=("$unit")
            fi
        done
        if [ "\${#dv_stopped[@]}" -gt 0 ]; then
            hd_log "stopping \${dv_stopped[*]} to copy $dv_root"
            systemctl stop "\${dv_stopped[@]}"
        fi
    fi
    if grep -qsx dockerd /proc/[0-9]*/comm; then
        hd_die "dockerd is running outside systemd; stop it and run again"
    fi
}

# With Docker stopped nothing may stay mounted below the data root (live-restore keeps containers
# running): their files would change during the copy.
dv_check_no_mounts_below() {
    local below
    below=$(findmnt -rn -o TARGET | awk -v p="$dv_root/" 'index($0, p) == 1 && n++ < 3 { printf "%s ", $0 }')
    if [ -n "$below" ]; then
        hd_die "filesystems are still mounted below $dv_root ($below): containers kept running (live-restore?); stop them and run again"
    fi
}

# dv_summary DIR SKIP_LOST_FOUND: "<entries> entries, <bytes> bytes" of a tree (file sizes only),
# without the unfinished-copy marker.
dv_summary() {
    if [ "$2" = 1 ]; then
        find "$1" -xdev \\( -path "$1/lost+found" -o -path "$1/$dv_partial" \\) -prune -o -printf '%y %s\\n'
    else
        find "$1" -xdev -path "$1/$dv_partial" -prune -o -printf '%y %s\\n'
    fi | awk '{ n++; if ($1 == "f") bytes += $2 } END { printf "%.0f entries, %.0f bytes\\n", n, bytes }'
}

# dv_rollback: puts the original data root back after a failed or interrupted switch.
dv_rollback() {
    dv_switching=0
    if [ ! -e "$dv_backup" ]; then
        return 0
    fi
    if mountpoint -q "$dv_root"; then
        umount "$dv_root" || true
    fi
    if [ -d "$dv_root" ]; then
        rmdir "$dv_root" || true
    fi
    if [ -e "$dv_root" ] || ! mv "$dv_backup" "$dv_root"; then
        hd_log "error: could not move $dv_backup back to $dv_root; the data is intact there: move it back by hand"
    fi
    dv_fstab_restore || true
}

# dv_migrate DEV: copies the data root onto the new filesystem (mounted at dv_tmp_mnt) with Docker
# stopped, verifies the copy, then swaps: the old directory is renamed, never deleted.
dv_migrate() {
    local dev=$1 need avail diff src_sum dst_sum mode uid gid skip=0
    local -a rs=(rsync -aHAXS --numeric-ids --one-file-system --delete) excl=(--exclude="/$dv_partial")
    hd_apt_install rsync
    need=$(du -sx -B1 "$dv_root" | cut -f1)
    avail=$(df -B1 --output=avail "$dv_tmp_mnt" | tail -n 1 | tr -d ' ')
    if [ "$need" -ge "$avail" ]; then
        hd_die "$dv_root holds $need bytes but $dev has $avail free: use a larger device; nothing was changed"
    fi
    # A fresh filesystem has lost+found; a lost+found of the data root itself is copied like the rest.
    if [ ! -e "$dv_root/lost+found" ]; then
        excl+=(--exclude=/lost+found)
        skip=1
    fi
    dv_docker_stop
    dv_check_no_mounts_below
    hd_log "copying $dv_root to $dev"
    # The marker says "an unfinished copy of the data root": a later run may overwrite that copy
    # (--delete only ever removes its files), where any other data on the device is refused.
    : >"$dv_tmp_mnt/$dv_partial"
    "\${rs[@]}" "\${excl[@]}" "$dv_root/" "$dv_tmp_mnt/" || hd_die "copying $dv_root failed; it is untouched"
    diff=$("\${rs[@]}" --checksum --dry-run --itemize-changes "\${excl[@]}" "$dv_root/" "$dv_tmp_mnt/") ||
        hd_die "verifying the copy of $dv_root failed; it is untouched"
    if [ -n "$diff" ]; then
        hd_die "the copy differs from $dv_root ($(printf '%s\\n' "$diff" | head -n 3 | tr '\\n' ' ')); it is untouched"
    fi
    src_sum=$(dv_summary "$dv_root" 0)
    dst_sum=$(dv_summary "$dv_tmp_mnt" "$skip")
    if [ "$src_sum" != "$dst_sum" ]; then
        hd_die "the copy has $dst_sum where $dv_root has $src_sum; $dv_root is untouched"
    fi
    rm "$dv_tmp_mnt/$dv_partial"
    read -r mode uid gid < <(stat -c '%a %u %g' "$dv_root")
    dv_backup="$dv_root.pre-hardened-docker-$(date -u +%Y%m%dT%H%M%SZ)"
    if [ -e "$dv_backup" ]; then
        hd_die "$dv_backup exists already; run again"
    fi
    dv_unmount_tmp
    dv_switching=1
    mv "$dv_root" "$dv_backup"
    if ! install -d -m "$mode" -o "$uid" -g "$gid" "$dv_root" || ! dv_fstab_commit || ! mount -T "$dv_fstab" "$dv_root"; then
        dv_rollback
        hd_die "mounting $dev at $dv_root failed; rolled back: $dv_root holds the original data"
    fi
    dv_switching=0
    hd_log "changed: $dv_root is now on $dev ($src_sum copied and verified); the previous data is kept at $dv_backup: remove it once Docker runs well"
    dv_docker_start
}

# dv_mount_empty DEV FRESH: mounts the filesystem at an empty (or new) data root.
dv_mount_empty() {
    local dev=$1 fresh=$2 mode uid gid
    read -r mode uid gid < <(stat -c '%a %u %g' "$dv_root")
    dv_unmount_tmp
    dv_fstab_commit || hd_die "installing $dv_fstab failed"
    if ! mount -T "$dv_fstab" "$dv_root"; then
        dv_fstab_restore
        hd_die "mounting $dev at $dv_root failed; $dv_fstab is as it was"
    fi
    if [ "$fresh" = 1 ]; then
        chown "$uid:$gid" "$dv_root"
        chmod "$mode" "$dv_root"
    fi
    hd_log "changed: $dv_root is now on $dev"
}

dv_main() {
    local dev majmin size uuid info fresh=0 root_data="" dev_data=""
    if [ "$dv_fs" = xfs ]; then
        hd_apt_install xfsprogs
    fi
    dev=$(dv_resolve)
    [ -b "$dev" ] || hd_die "$dev ($dv_device_name) is not a block device"
    majmin=$(lsblk -dnr -o MAJ:MIN "$dev")
    dv_check_not_root "$dev"
    dv_check_unused "$dev" "$majmin"
    size=$(blockdev --getsize64 "$dev")
    if [ "$size" -lt "$dv_min_bytes" ]; then
        hd_die "$dev has $size bytes, less than the $dv_min_bytes required"
    fi
    dv_probe "$dev"
    if [ "$dv_at_root" = 1 ]; then
        [ -n "$dv_type" ] || hd_die "$dev is mounted at $dv_root but blkid sees no filesystem on it"
    elif dv_blank "$dev"; then
        dv_check_zeroed "$dev" "$size"
        dv_mkfs "$dev"
        fresh=1
        dv_probe "$dev"
        [ "$dv_type" = "$dv_fs" ] || hd_die "$dev shows no $dv_fs filesystem after mkfs"
    elif [ -n "$dv_pttype" ]; then
        hd_die "$dev has a $dv_pttype partition table: give one of its partitions, or an unused device; never formatting it"
    elif [ "$dv_type" != "$dv_fs" ]; then
        hd_die "$dev has a $dv_type filesystem, not $dv_fs: never reformatting it; choose filesystem $dv_type or another device"
    fi
    uuid=$(blkid -p -s UUID -o value "$dev")
    [[ "$uuid" =~ ^[0-9A-Fa-f-]+$ ]] || hd_die "$dev has no usable filesystem UUID ($uuid)"

    if [ "$dv_at_root" = 1 ]; then
        dv_fstab_prepare "$uuid" "$dv_type"
        dv_fstab_commit || hd_die "installing $dv_fstab failed"
        dv_install_dropin
        return 0
    fi
    if [ -L "$dv_root" ] || { [ -e "$dv_root" ] && [ ! -d "$dv_root" ]; }; then
        hd_die "$dv_root is not a directory (a symbolic link?): give the real path as the data root"
    fi
    if mountpoint -q "$dv_root"; then
        hd_die "$dv_root is already a mount of $(findmnt -n -r -o SOURCE --mountpoint "$dv_root"), not of $dev: leaving it alone"
    fi
    if [ -d "$dv_root" ]; then
        root_data=$(find "$dv_root" -mindepth 1 -maxdepth 1 -print -quit)
    else
        mkdir -p "$(dirname "$dv_root")"
        install -d -m 0710 -o root -g root "$dv_root"
    fi

    dv_fstab_prepare "$uuid" "$dv_type"

    # A read-only trial mount with the final options: bad options fail here, and nothing is written.
    dv_tmp_mnt=$(mktemp -d /run/hardened-docker-data.XXXXXX)
    mount -t "$dv_type" -o "ro,$dv_mount_options" "$dev" "$dv_tmp_mnt" || hd_die "cannot mount $dev with $dv_mount_options"
    if [ "$dv_type" = xfs ]; then
        info=$(xfs_info "$dv_tmp_mnt")
        case "$info" in
            *ftype=1*) ;;
            *) hd_die "$dev is xfs without ftype=1 (d_type), which overlay2 needs" ;;
        esac
    fi
    dev_data=$(find "$dv_tmp_mnt" -mindepth 1 -maxdepth 1 ! -name lost+found ! -name "$dv_partial" -print -quit)
    if [ -e "$dv_tmp_mnt/$dv_partial" ]; then
        if [ -z "$root_data" ]; then
            hd_die "$dev holds an unfinished copy of $dv_root, which is empty now: find Docker's data (in $dv_root.pre-hardened-docker-*?) before running again"
        fi
        hd_log "$dev holds an unfinished copy of $dv_root from an interrupted run: copying again"
        dev_data=""
    fi
    if [ -n "$root_data" ] && [ -n "$dev_data" ]; then
        hd_die "both $dv_root and the filesystem on $dev hold data; not merging them. If $dev holds only an earlier copy of $dv_root, empty its filesystem (never $dv_root) and run again"
    fi
    if [ -n "$root_data" ]; then
        mount -o remount,rw "$dv_tmp_mnt"
        dv_migrate "$dev"
    else
        dv_mount_empty "$dev" "$fresh"
    fi
    dv_install_dropin
}
`;

/** The drop-in as a rendered file. */
function dropInFile(plan: DataVolumePlan): RenderedFile {
    return { path: DATA_VOLUME_DROPIN_PATH, mode: "0644", owner: "root:root", content: renderDataVolumeDropIn(plan) };
}

/**
 * The data-volume step (CIS 1.1.1): Docker's data root on its own filesystem. Formats only a
 * provably blank device; moves existing data with a verified copy and keeps the original.
 */
export function renderDataVolume(plan: DataVolumePlan, _ctx: HostContext): HostStep {
    const dropIn = dropInFile(plan);
    const device =
        plan.device.kind === "path"
            ? { path: plan.device.path, serial: "", name: plan.device.path }
            : { path: "", serial: plan.device.serial, name: `EBS volume ${plan.device.volumeId}` };
    const values = [
        "# Rendered values.",
        `dv_root=${shq(plan.dataRoot)}`,
        `dv_device_path=${shq(device.path)}`,
        `dv_aws_serial=${shq(device.serial)}`,
        `dv_device_name=${shq(device.name)}`,
        `dv_fs=${shq(plan.filesystem)}`,
        `dv_label=${shq(plan.label)}`,
        `dv_min_bytes=${plan.minSizeBytes}`,
        `dv_wait=${plan.deviceWaitSeconds}`,
        `dv_mount_options=${shq(plan.mountOptions.join(","))}`,
        `dv_fstab_options=${shq([...plan.mountOptions, ...DATA_VOLUME_DEFAULTS.fixedMountOptions].join(","))}`,
        "dv_fstab=/etc/fstab",
        `dv_mark=${shq(DATA_VOLUME_FSTAB_MARK)}`,
    ].join("\n");
    const installDropIn = [
        "# dv_install_dropin: installed only once the data root is mounted, so a failed run never",
        "# leaves Docker unable to start.",
        "dv_install_dropin() {",
        "    local changed=0",
        installFile("docker-data-root.conf", dropIn),
        '    if [ "$changed" = 1 ]; then',
        "        dv_systemd_reload",
        "    fi",
        "}",
    ].join("\n");
    return {
        id: "data-volume",
        title: `Docker's data root ${plan.dataRoot} is its own ${plan.filesystem} filesystem on ${device.name}`,
        cis: ["1.1.1"],
        script: `${prelude("data-volume")}\n${values}\n${BODY}\n${installDropIn}\n\n${DATA_VOLUME_MAIN}\n`,
        files: [dropIn],
        secret: false,
    };
}
