import * as assert from "node:assert/strict";
import {
    AUDIT_CIS,
    AUDIT_DEFAULTS,
    renderAuditCandidates,
    validateAuditArgs,
    type AuditArgs,
} from "../../../../components/host/audit";
import { CTX } from "../stepHarness";

/** CIS Docker Benchmark v1.6.0 1.1.3 to 1.1.18: each control and the paths that serve it. */
const CIS_PATHS: Record<string, string[]> = {
    "1.1.3": ["/usr/bin/dockerd", "/usr/sbin/dockerd"],
    "1.1.4": ["/run/containerd"],
    "1.1.5": ["/var/lib/docker"],
    "1.1.6": ["/etc/docker"],
    "1.1.7": [
        "/lib/systemd/system/docker.service",
        "/usr/lib/systemd/system/docker.service",
        "/etc/systemd/system/docker.service",
        "/etc/systemd/system/docker.service.d",
    ],
    "1.1.8": ["/run/containerd/containerd.sock"],
    "1.1.9": [
        "/lib/systemd/system/docker.socket",
        "/usr/lib/systemd/system/docker.socket",
        "/etc/systemd/system/docker.socket",
        "/etc/systemd/system/docker.socket.d",
    ],
    "1.1.10": ["/etc/default/docker"],
    "1.1.11": ["/etc/docker/daemon.json"],
    "1.1.12": ["/etc/containerd/config.toml"],
    "1.1.13": ["/etc/sysconfig/docker"],
    "1.1.14": ["/usr/bin/containerd"],
    "1.1.15": ["/usr/bin/containerd-shim"],
    "1.1.16": ["/usr/bin/containerd-shim-runc-v1"],
    "1.1.17": ["/usr/bin/containerd-shim-runc-v2"],
    "1.1.18": ["/usr/bin/runc", "/usr/sbin/runc"],
};

describe("validateAuditArgs", () => {
    it("serves every control from 1.1.3 to 1.1.18, each with its paths, in benchmark order", () => {
        assert.deepEqual(AUDIT_CIS, Object.keys(CIS_PATHS));
        const plan = validateAuditArgs(undefined, CTX);
        const byId: Record<string, string[]> = {};
        for (const c of plan.candidates) {
            (byId[c.id] ??= []).push(c.path);
        }
        assert.deepEqual(byId, CIS_PATHS);
        assert.deepEqual(
            plan.candidates.map((c) => c.id),
            Object.entries(CIS_PATHS).flatMap(([id, paths]) => paths.map(() => id)),
        );
    });

    it("fills in the defaults", () => {
        assert.deepEqual(validateAuditArgs(undefined, CTX).dataRootExclusions, ["overlay2", "volumes"]);
        assert.deepEqual(validateAuditArgs({}, CTX).dataRootExclusions, ["overlay2", "volumes"]);
        assert.ok(Object.isFrozen(AUDIT_DEFAULTS) && Object.isFrozen(AUDIT_DEFAULTS.candidates));
    });

    it("sorts the exclusions and accepts none", () => {
        assert.deepEqual(
            validateAuditArgs({ dataRootExclusions: ["volumes", "image", "overlay2"] }, CTX).dataRootExclusions,
            ["image", "overlay2", "volumes"],
        );
        assert.deepEqual(validateAuditArgs({ dataRootExclusions: [] }, CTX).dataRootExclusions, []);
    });

    it("adds a moved data root under 1.1.5, after /var/lib/docker", () => {
        const plan = validateAuditArgs(undefined, { ...CTX, dataRoot: "/srv/docker" });
        assert.deepEqual(plan.candidates.slice(3, 6), [
            { id: "1.1.5", path: "/var/lib/docker" },
            { id: "1.1.5", path: "/srv/docker" },
            { id: "1.1.6", path: "/etc/docker" },
        ]);
        assert.equal(plan.candidates.length, validateAuditArgs(undefined, CTX).candidates.length + 1);
    });

    it("renders the exact candidate list the script carries", () => {
        assert.equal(
            renderAuditCandidates(validateAuditArgs(undefined, { ...CTX, dataRoot: "/data/docker" })),
            [
                "# CIS Docker Benchmark v1.6.0 id, then a path its control asks auditd to watch.",
                "1.1.3 /usr/bin/dockerd",
                "1.1.3 /usr/sbin/dockerd",
                "1.1.4 /run/containerd",
                "1.1.5 /var/lib/docker",
                "1.1.5 /data/docker",
                "1.1.6 /etc/docker",
                "1.1.7 /lib/systemd/system/docker.service",
                "1.1.7 /usr/lib/systemd/system/docker.service",
                "1.1.7 /etc/systemd/system/docker.service",
                "1.1.7 /etc/systemd/system/docker.service.d",
                "1.1.8 /run/containerd/containerd.sock",
                "1.1.9 /lib/systemd/system/docker.socket",
                "1.1.9 /usr/lib/systemd/system/docker.socket",
                "1.1.9 /etc/systemd/system/docker.socket",
                "1.1.9 /etc/systemd/system/docker.socket.d",
                "1.1.10 /etc/default/docker",
                "1.1.11 /etc/docker/daemon.json",
                "1.1.12 /etc/containerd/config.toml",
                "1.1.13 /etc/sysconfig/docker",
                "1.1.14 /usr/bin/containerd",
                "1.1.15 /usr/bin/containerd-shim",
                "1.1.16 /usr/bin/containerd-shim-runc-v1",
                "1.1.17 /usr/bin/containerd-shim-runc-v2",
                "1.1.18 /usr/bin/runc",
                "1.1.18 /usr/sbin/runc",
                "",
            ].join("\n"),
        );
    });

    const BAD: [title: string, args: unknown, message: string][] = [
        ["not an object", [], "args.audit must be an object with the fields dataRootExclusions"],
        [
            "an unknown field",
            { paths: ["/x"] },
            "args.audit.paths is not an argument of the audit step; allowed: dataRootExclusions",
        ],
        [
            "exclusions as a string",
            { dataRootExclusions: "overlay2" },
            'args.audit.dataRootExclusions must be a list of directory names, such as ["overlay2", "volumes"]',
        ],
        [
            "an exclusion with a slash",
            { dataRootExclusions: ["overlay2/l"] },
            'args.audit.dataRootExclusions[0] must be one directory name of [A-Za-z0-9_.-], got "overlay2/l"',
        ],
        [
            "the parent directory",
            { dataRootExclusions: ["volumes", ".."] },
            'args.audit.dataRootExclusions[1] must be one directory name of [A-Za-z0-9_.-], got ".."',
        ],
        [
            "an exclusion with a space",
            { dataRootExclusions: ["my volumes"] },
            'args.audit.dataRootExclusions[0] must be one directory name of [A-Za-z0-9_.-], got "my volumes"',
        ],
        [
            "the containers directory",
            { dataRootExclusions: ["containers"] },
            "args.audit.dataRootExclusions[0] must not be containers: a container's configuration lives there, and changes to it are what CIS 1.1.5 audits",
        ],
        [
            "a repeated exclusion",
            { dataRootExclusions: ["volumes", "volumes"] },
            'args.audit.dataRootExclusions[1] repeats "volumes"',
        ],
    ];
    for (const [title, args, message] of BAD) {
        it(`rejects ${title}`, () => {
            assert.throws(() => validateAuditArgs(args as AuditArgs, CTX), { name: "ArgumentError", message });
        });
    }

    it("refuses a host context whose data root was not validated", () => {
        assert.throws(() => validateAuditArgs(undefined, { ...CTX, dataRoot: "/srv/my docker" }), {
            message: 'host context dataRoot "/srv/my docker" is not a validated absolute path',
        });
    });
});
