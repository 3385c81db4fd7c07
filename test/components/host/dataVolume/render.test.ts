import * as assert from "node:assert/strict";
import {
    DATA_VOLUME_DROPIN_PATH,
    renderDataVolume,
    renderDataVolumeDropIn,
    validateDataVolumeArgs,
} from "../../../../components/host/dataVolume";
import { prelude } from "../../../../components/host/shell";
import { assertCleanScript, CTX } from "../stepHarness";

/** The rendered-values block of a script: from its heading to the first blank line. */
function values(script: string): string {
    const start = script.indexOf("# Rendered values.\n");
    assert.ok(start > 0, "the script has a rendered-values block");
    return script.slice(start, script.indexOf("\n\n", start) + 1);
}

describe("renderDataVolume", () => {
    const plan = validateDataVolumeArgs({ device: { path: "/dev/sdb" } }, CTX);
    const step = renderDataVolume(plan, CTX);

    it("renders the exact drop-in that makes Docker wait for its data root", () => {
        assert.equal(
            renderDataVolumeDropIn(plan),
            [
                "# hardened-docker data-volume (CIS 1.1.1): Docker starts only when its data root is mounted,",
                "# never on the empty directory below it. Rendered by hardened-docker; edits are overwritten.",
                "[Unit]",
                "RequiresMountsFor=/var/lib/docker",
                "",
            ].join("\n"),
        );
        assert.deepEqual(step.files, [
            { path: DATA_VOLUME_DROPIN_PATH, mode: "0644", owner: "root:root", content: renderDataVolumeDropIn(plan) },
        ]);
        assert.equal(DATA_VOLUME_DROPIN_PATH, "/etc/systemd/system/docker.service.d/10-hardened-docker-data-root.conf");
    });

    it("names the data root of the context in the drop-in", () => {
        const other = validateDataVolumeArgs({ device: { path: "/dev/sdb" } }, { ...CTX, dataRoot: "/srv/docker" });
        assert.equal(renderDataVolumeDropIn(other).split("\n")[3], "RequiresMountsFor=/srv/docker");
    });

    it("describes the step", () => {
        assert.equal(step.id, "data-volume");
        assert.equal(step.title, "Docker's data root /var/lib/docker is its own ext4 filesystem on /dev/sdb");
        assert.deepEqual(step.cis, ["1.1.1"]);
        assert.equal(step.secret, false);
        assert.ok(step.script.startsWith(prelude("data-volume")));
        assert.ok(step.script.endsWith("\n\ndv_main\n"));
    });

    it("renders the exact values for the defaults", () => {
        assert.equal(
            values(step.script),
            [
                "# Rendered values.",
                "dv_root='/var/lib/docker'",
                "dv_device_path='/dev/sdb'",
                "dv_aws_serial=''",
                "dv_device_name='/dev/sdb'",
                "dv_fs='ext4'",
                "dv_label='docker-data'",
                "dv_min_bytes=10737418240",
                "dv_wait=300",
                "dv_mount_options='nodev,nosuid,noatime'",
                "dv_fstab_options='nodev,nosuid,noatime,nofail,x-systemd.device-timeout=30s'",
                "dv_fstab=/etc/fstab",
                "dv_mark='# hardened-docker data-volume (CIS 1.1.1): the next line mounts the Docker data root; managed, edits are overwritten'",
                "",
            ].join("\n"),
        );
    });

    it("renders the exact values for an EBS volume with xfs and every option", () => {
        const aws = validateDataVolumeArgs(
            {
                device: { awsVolumeId: "vol-0123456789abcdef0" },
                filesystem: "xfs",
                minSizeGb: 40,
                mountOptions: ["nodev", "nosuid", "prjquota"],
                label: "dockerdata",
                deviceWaitSeconds: 600,
            },
            { ...CTX, dataRoot: "/srv/docker" },
        );
        const s = renderDataVolume(aws, CTX);
        assert.equal(
            s.title,
            "Docker's data root /srv/docker is its own xfs filesystem on EBS volume vol-0123456789abcdef0",
        );
        assert.equal(
            values(s.script),
            [
                "# Rendered values.",
                "dv_root='/srv/docker'",
                "dv_device_path=''",
                "dv_aws_serial='vol0123456789abcdef0'",
                "dv_device_name='EBS volume vol-0123456789abcdef0'",
                "dv_fs='xfs'",
                "dv_label='dockerdata'",
                "dv_min_bytes=42949672960",
                "dv_wait=600",
                "dv_mount_options='nodev,nosuid,prjquota'",
                "dv_fstab_options='nodev,nosuid,prjquota,nofail,x-systemd.device-timeout=30s'",
                "dv_fstab=/etc/fstab",
                "dv_mark='# hardened-docker data-volume (CIS 1.1.1): the next line mounts the Docker data root; managed, edits are overwritten'",
                "",
            ].join("\n"),
        );
        // Between the values and the embedded drop-in, the two scripts are the same.
        const body = (text: string) =>
            text.slice(text.indexOf("\n\n", text.indexOf("# Rendered values.")), text.indexOf("# dv_install_dropin"));
        assert.equal(body(s.script), body(step.script));
    });

    it("formats with the safe commands only: no force flags, no discard", () => {
        assert.ok(step.script.includes('mkfs.ext4 -q -L "$dv_label" -E nodiscard "$1" </dev/null'));
        assert.ok(step.script.includes('mkfs.xfs -q -K -L "$dv_label" -n ftype=1 "$1" </dev/null'));
        assert.ok(!/mkfs[^\n]* -[fF]\b/.test(step.script));
        assert.deepEqual(step.script.match(/\bwipefs -[-a-z]*/g), ["wipefs --no-act"]);
        assert.deepEqual(step.script.match(/\brm -[a-z]*r[a-z]* \S+/g), ['rm -rf "$HD_TMP"\'', 'rm -rf "$HD_TMP"']);
    });

    for (const [title, args] of [
        ["a device path", { device: { path: "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0" } }],
        ["an EBS volume and xfs", { device: { awsVolumeId: "vol-0123456789abcdef0" }, filesystem: "xfs" as const }],
    ] as const) {
        it(`passes bash -n and shellcheck for ${title}`, function () {
            const script = renderDataVolume(validateDataVolumeArgs(args, CTX), CTX).script;
            assertCleanScript(this, script);
        });
    }
});
