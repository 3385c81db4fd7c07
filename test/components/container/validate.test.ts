import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import type { HardenedContainerArgs } from "../../../components";
import { validateContainerArgs, validateSeccompProfile } from "../../../components/container/validate";
import { tightenDefaultProfile } from "../../../components/container/seccomp";
import { validateAppArmor } from "../../../components/container/apparmor";
import { LINUX_CAPABILITIES, normaliseCapability } from "../../../policy-pack/lib/rules/linux";

const DIGEST = `sha256:${"c".repeat(64)}`;

export function validArgs(): HardenedContainerArgs {
    return {
        image: `ghcr.io/acme/api@${DIGEST}`,
        trustedRegistries: ["ghcr.io/acme"],
        user: "10001:10001",
        network: "app",
        host: { dockerHost: "unix:///var/run/docker.sock" },
        healthCheck: { command: ["/app/health"] },
    };
}

type Change = (a: HardenedContainerArgs) => void;

/** Every bad input, one change each, with the exact message that fails the preview. */
export const BAD_INPUTS: [title: string, change: Change, message: string][] = [
    [
        "an image pinned by tag",
        (a) => (a.image = "ghcr.io/acme/api:1.0"),
        'args.image must be pinned by digest (name@sha256:<64 hex>), got "ghcr.io/acme/api:1.0"; a tag needs waivers.imageTag (CIS 5.28)',
    ],
    [
        "an image from an untrusted registry",
        (a) => (a.image = `docker.io/library/nginx@${DIGEST}`),
        "args.image comes from docker.io/library/nginx, which is not under args.trustedRegistries (ghcr.io/acme) (CIS 4.2)",
    ],
    [
        "a look-alike registry path",
        (a) => (a.image = `ghcr.io/acme-evil/api@${DIGEST}`),
        "args.image comes from ghcr.io/acme-evil/api, which is not under args.trustedRegistries (ghcr.io/acme) (CIS 4.2)",
    ],
    [
        "a malformed image",
        (a) => (a.image = "GHCR.io/Acme/API@sha256:xyz"),
        'args.image must be a Docker image reference such as ghcr.io/acme/api@sha256:<64 hex>, got "GHCR.io/Acme/API@sha256:xyz"',
    ],
    ["no image", (a) => (a.image = ""), "args.image is required: a reference pinned by digest, name@sha256:<64 hex>"],
    [
        "no trusted registries",
        (a) => (a.trustedRegistries = []),
        'args.trustedRegistries must list at least one registry, for example ["ghcr.io/acme"]',
    ],
    [
        "a trusted registry with a scheme",
        (a) => (a.trustedRegistries = ["https://ghcr.io"]),
        'args.trustedRegistries[0] must be a registry host with an optional path, got "https://ghcr.io"',
    ],
    ["no user", (a) => (a.user = ""), "args.user is required: a non-root user name, uid, or uid:gid (CIS 4.1)"],
    [
        "root by name",
        (a) => (a.user = "root"),
        "args.user is root (root); use a non-root user, or give waivers.rootUser (CIS 4.1)",
    ],
    [
        "root by uid",
        (a) => (a.user = "0:1000"),
        "args.user is root (0:1000); use a non-root user, or give waivers.rootUser (CIS 4.1)",
    ],
    [
        "a malformed user",
        (a) => (a.user = "app;rm -rf /"),
        'args.user must be a user name, uid, or uid:gid, got "app;rm -rf /"',
    ],
    [
        "the default bridge",
        (a) => (a.network = "bridge"),
        'args.network must be a user-defined network, not "bridge" (CIS 5.10, 5.30)',
    ],
    [
        "the host network",
        (a) => (a.network = "host"),
        'args.network must be a user-defined network, not "host" (CIS 5.10, 5.30)',
    ],
    [
        "no network",
        (a) => (a.network = ""),
        "args.network is required: a user-defined network's name; the default bridge is not used (CIS 5.30)",
    ],
    [
        "both host accesses",
        (a) => (a.host = { dockerHost: "unix:///var/run/docker.sock", connection: { host: "h" } }),
        "args.host must give exactly one of connection (SSH to the Docker host) and dockerHost (a local engine endpoint)",
    ],
    [
        "no host access",
        (a) => (a.host = {}),
        "args.host must give exactly one of connection (SSH to the Docker host) and dockerHost (a local engine endpoint)",
    ],
    [
        "an unknown capability",
        (a) => (a.capabilities = ["NET_BIND_SERVICE", "CAP_FLY"]),
        'args.capabilities[1] is "CAP_FLY", which is not a Linux capability (see capabilities(7), for example NET_BIND_SERVICE)',
    ],
    [
        "ALL capabilities",
        (a) => (a.capabilities = ["all"]),
        "args.capabilities[0] is ALL; list each capability the service needs (CIS 5.4)",
    ],
    [
        "a dangerous capability",
        (a) => (a.capabilities = ["cap_sys_admin"]),
        "args.capabilities[0] is SYS_ADMIN, which reaches the host; give waivers.dangerousCapabilities to add it (CIS 5.4)",
    ],
    ["too little memory", (a) => (a.memoryMb = 4), "args.memoryMb must be a whole number from 6 to 1048576, got 4"],
    [
        "fractional CPU shares",
        (a) => (a.cpuShares = 1.5),
        "args.cpuShares must be a whole number from 2 to 262144, got 1.5",
    ],
    ["a zero PIDs limit", (a) => (a.pidsLimit = 0), "args.pidsLimit must be a whole number from 1 to 4194304, got 0"],
    ["six restarts", (a) => (a.maxRestarts = 6), "args.maxRestarts must be a whole number from 1 to 5, got 6"],
    [
        "AppArmor unconfined",
        (a) => (a.appArmorProfile = "unconfined"),
        'args.appArmorProfile must name a loaded AppArmor profile, not "unconfined" (CIS 5.2)',
    ],
    [
        "seccomp unconfined",
        (a) => (a.seccompProfileJson = "unconfined"),
        "args.seccompProfileJson must be a seccomp profile's JSON text; unconfined is not allowed (CIS 5.22)",
    ],
    [
        "both seccomp profiles",
        (a) => {
            a.seccompProfileJson = '{"defaultAction":"SCMP_ACT_ERRNO"}';
            a.seccompProfile = { denySyscalls: ["chmod"] };
        },
        "args.seccompProfile and args.seccompProfileJson are both set; give one: a tightening of Docker's default, or a whole profile",
    ],
    [
        "a seccomp tightening of a syscall the default refuses",
        (a) => (a.seccompProfile = { denySyscalls: ["kexec_load"] }),
        `args.seccompProfile.denySyscalls[0] is not a syscall that Docker's default profile allows: "kexec_load" (the list is DOCKER_DEFAULT_SECCOMP's SCMP_ACT_ALLOW rules)`,
    ],
    [
        "an allow-all seccomp profile",
        (a) => (a.seccompProfileJson = '{"defaultAction":"SCMP_ACT_ALLOW"}'),
        "args.seccompProfileJson.defaultAction is SCMP_ACT_ALLOW, which lets every syscall no rule names through; deny by default (SCMP_ACT_ERRNO) (CIS 5.22)",
    ],
    [
        "a relative writable path",
        (a) => (a.writablePaths = [{ path: "tmp" }]),
        'args.writablePaths[0].path must be an absolute path, got "tmp"',
    ],
    [
        "the root as writable path",
        (a) => (a.writablePaths = [{ path: "/tmp/.." }]),
        "args.writablePaths[0].path must not be / (the root filesystem stays read-only, CIS 5.13)",
    ],
    [
        "a host path as volume",
        (a) => (a.volumes = [{ volumeName: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }]),
        "args.volumes[0].volumeName is a host path (/var/run/docker.sock); only named volumes are mounted (CIS 5.6, 5.32)",
    ],
    [
        "one path mounted twice",
        (a) => {
            a.writablePaths = [{ path: "/data" }];
            a.volumes = [{ volumeName: "data", containerPath: "/data/" }];
        },
        "args.writablePaths and args.volumes mount /data twice; each container path once",
    ],
    [
        "a port out of range",
        (a) => (a.ports = [{ containerPort: 8080, hostPort: 70000 }]),
        "args.ports[0].hostPort must be a whole number from 1 to 65535, got 70000",
    ],
    [
        "a privileged host port",
        (a) => (a.ports = [{ containerPort: 8080, hostPort: 443 }]),
        "args.ports[0].hostPort is 443, below 1024; use 1024 to 65535, or list it in waivers.privilegedPorts.ports (CIS 5.8)",
    ],
    [
        "every host address",
        (a) => (a.ports = [{ containerPort: 8080, hostPort: 8080, hostAddress: "0.0.0.0" }]),
        "args.ports[0].hostAddress is 0.0.0.0, which publishes on every host address; name one address, or give waivers.allInterfaces (CIS 5.14)",
    ],
    [
        "an address that is not one",
        (a) => (a.ports = [{ containerPort: 8080, hostPort: 8080, hostAddress: "localhost" }]),
        'args.ports[0].hostAddress must be an IPv4 or IPv6 address, got "localhost"',
    ],
    [
        "a port published twice",
        (a) =>
            (a.ports = [
                { containerPort: 8080, hostPort: 8080 },
                { containerPort: 8081, hostPort: 8080 },
            ]),
        "args.ports[1].hostPort publishes 8080/tcp twice",
    ],
    [
        "no health check",
        (a) => delete a.healthCheck,
        "args.healthCheck is required; give a command, or waivers.noHealthCheck (CIS 4.6, 5.27)",
    ],
    [
        "an empty health check",
        (a) => (a.healthCheck = { command: [] }),
        "args.healthCheck.command must be a non-empty list of non-empty strings (exec form)",
    ],
    [
        "a waiver without a reason",
        (a) => (a.waivers = { rootUser: { reason: "  " } }),
        "args.waivers.rootUser.reason must say why, in at least 10 characters",
    ],
    [
        "an unknown waiver",
        (a) => (a.waivers = { privileged: { reason: "because we need it" } } as never),
        "args.waivers.privileged is not a waiver; allowed: rootUser, noHealthCheck, imageTag, allInterfaces, privilegedPorts, dangerousCapabilities",
    ],
    [
        "an invalid environment name",
        (a) => (a.env = { "BAD-NAME": "x" }),
        "args.env.BAD-NAME is not a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*)",
    ],
    [
        "a reserved label",
        (a) => (a.labels = { "io.hardened-docker.waiver.rootUser": "sneaky" }),
        'args.labels["io.hardened-docker.waiver.rootUser"] uses the reserved prefix io.hardened-docker.',
    ],
];

describe("validateContainerArgs", () => {
    it("accepts the minimal valid arguments and fills in every default", () => {
        assert.deepEqual(validateContainerArgs(validArgs()), {
            capabilities: [],
            user: "10001:10001",
            memoryMb: 256,
            cpuShares: 512,
            pidsLimit: 128,
            maxRestarts: 5,
            appArmorProfile: "docker-default",
            seccompProfileJson: undefined,
            writablePaths: [],
            volumes: [],
            ports: [],
            healthCheck: {
                command: ["/app/health"],
                intervalSeconds: 30,
                timeoutSeconds: 5,
                retries: 3,
                startPeriodSeconds: 10,
            },
            env: [],
            labels: {},
            waivers: {},
        });
    });

    it(`rejects ${BAD_INPUTS.length} bad inputs, each with its own message`, () => {
        assert.equal(BAD_INPUTS.length, 43);
        // Only the two host-access cases share a message: both break the same rule.
        assert.equal(new Set(BAD_INPUTS.map(([, , m]) => m)).size, 42);
    });

    for (const [title, change, message] of BAD_INPUTS) {
        it(`rejects ${title}`, () => {
            const args = validArgs();
            change(args);
            assert.throws(() => validateContainerArgs(args), { name: "ArgumentError", message });
        });
    }

    it("accepts each relaxation only with its named waiver, and records the reasons", () => {
        const args = validArgs();
        args.user = "root";
        args.image = "ghcr.io/acme/api:1.0";
        args.capabilities = ["NET_ADMIN", "cap_net_bind_service", "NET_BIND_SERVICE"];
        args.ports = [{ containerPort: 80, hostPort: 80, hostAddress: "0.0.0.0" }];
        delete args.healthCheck;
        args.waivers = {
            rootUser: { reason: "legacy image, see SEC-1" },
            imageTag: { reason: "internal mirror without digests, SEC-2" },
            dangerousCapabilities: { reason: "VPN gateway manages routes, SEC-3" },
            privilegedPorts: { ports: [80], reason: "public HTTP redirector, SEC-4" },
            allInterfaces: { reason: "edge proxy serves every interface, SEC-5" },
            noHealthCheck: { reason: "batch job without a server, SEC-6" },
        };
        const plan = validateContainerArgs(args);
        assert.deepEqual(plan.capabilities, ["NET_ADMIN", "NET_BIND_SERVICE"]);
        assert.deepEqual(plan.waivers, {
            rootUser: "legacy image, see SEC-1",
            imageTag: "internal mirror without digests, SEC-2",
            dangerousCapabilities: "VPN gateway manages routes, SEC-3",
            privilegedPorts: "public HTTP redirector, SEC-4",
            allInterfaces: "edge proxy serves every interface, SEC-5",
            noHealthCheck: "batch job without a server, SEC-6",
        });
        assert.equal(plan.healthCheck, undefined);
    });

    it("turns seccompProfile into Docker's default profile without the denied syscalls", () => {
        const args = validArgs();
        args.seccompProfile = { denySyscalls: ["mkdir", "mkdirat"] };
        const plan = validateContainerArgs(args);
        assert.equal(plan.seccompProfileJson, tightenDefaultProfile({ denySyscalls: ["mkdir", "mkdirat"] }));
        assert.ok(!plan.seccompProfileJson.includes('"mkdir"'));
        assert.ok(plan.seccompProfileJson.includes('"chmod"'));
    });

    it("normalises a seccomp profile to compact JSON", () => {
        assert.equal(
            validateSeccompProfile('{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [] }'),
            '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[]}',
        );
    });
});

describe("capability names (property)", () => {
    it("every Linux capability is accepted with or without CAP_, in any case, and normalised", () => {
        fc.assert(
            fc.property(fc.constantFrom(...LINUX_CAPABILITIES), fc.boolean(), fc.boolean(), (cap, prefix, lower) => {
                const name = `${prefix ? "CAP_" : ""}${cap}`;
                return normaliseCapability(lower ? name.toLowerCase() : name) === cap;
            }),
        );
    });

    it("no other word is a capability", () => {
        fc.assert(
            fc.property(fc.string({ minLength: 1, maxLength: 20 }), (s) => {
                const bare = s.trim().toUpperCase().replace(/^CAP_/, "");
                return LINUX_CAPABILITIES.includes(bare) || normaliseCapability(s) === undefined;
            }),
        );
    });
});

describe("validateContainerArgs: the container's own AppArmor profile (args.appArmor)", () => {
    const connection = { host: "192.0.2.7", user: "admin", privateKey: "KEY" };
    const appArmor = { name: "hd-api", rules: { execute: ["/app/server"], write: ["/data/**"] } };
    const withAppArmor = (extra: Partial<HardenedContainerArgs> = {}): HardenedContainerArgs => ({
        ...validArgs(),
        host: { connection },
        appArmor,
        ...extra,
    });

    it("puts the validated profile in the plan, and runs the container under its name", () => {
        const plan = validateContainerArgs(withAppArmor());
        assert.equal(plan.appArmorProfile, "hd-api");
        assert.deepEqual(plan.appArmor, validateAppArmor(appArmor, [], "args.appArmor"));
        assert.equal(plan.appArmor?.path, "/etc/apparmor.d/hardened-docker.hd-api");
    });

    it("generates the profile with the container's capabilities, normalised and sorted", () => {
        const plan = validateContainerArgs(withAppArmor({ capabilities: ["cap_setuid", "CHOWN", "NET_BIND_SERVICE"] }));
        assert.deepEqual(plan.capabilities, ["CHOWN", "NET_BIND_SERVICE", "SETUID"]);
        assert.deepEqual(
            plan.appArmor,
            validateAppArmor(appArmor, ["CHOWN", "NET_BIND_SERVICE", "SETUID"], "args.appArmor"),
        );
        assert.ok(
            plan.appArmor!.text.includes(
                "\n  capability chown,\n  capability net_bind_service,\n  capability setuid,\n",
            ),
        );
        // Without capabilities, the profile grants none.
        assert.ok(!validateContainerArgs(withAppArmor()).appArmor!.text.includes("capability"));
    });

    it("keeps a written profile as it is, whatever the capabilities", () => {
        const profile = "profile hd-api {\n}\n";
        const plan = validateContainerArgs(
            withAppArmor({ appArmor: { name: "hd-api", profile }, capabilities: ["CHOWN"] }),
        );
        assert.equal(plan.appArmor?.text, profile);
        assert.equal(plan.appArmorProfile, "hd-api");
    });

    it("has no appArmor field without args.appArmor", () => {
        const plan = validateContainerArgs({ ...validArgs(), host: { connection } });
        assert.ok(!("appArmor" in plan));
        assert.equal(plan.appArmorProfile, "docker-default");
        assert.equal(
            validateContainerArgs({ ...validArgs(), appArmorProfile: "hd-loaded" }).appArmorProfile,
            "hd-loaded",
        );
    });

    const BAD: [title: string, args: () => HardenedContainerArgs, message: string][] = [
        [
            "both appArmor and appArmorProfile",
            () => withAppArmor({ appArmorProfile: "docker-default" }),
            "args.appArmor and args.appArmorProfile are both set; give one: the container's own profile, or the name of one loaded on the host",
        ],
        [
            "appArmor with a local engine (dockerHost)",
            () => ({ ...validArgs(), appArmor }),
            "args.appArmor needs args.host.connection: installing and loading a profile takes root on the host over SSH",
        ],
        [
            "appArmor that is null",
            () => withAppArmor({ appArmor: null as unknown as HardenedContainerArgs["appArmor"] }),
            "args.appArmor must be an object with the fields name, profile, rules",
        ],
        [
            "a bad profile name",
            () => withAppArmor({ appArmor: { ...appArmor, name: "unconfined" } }),
            'args.appArmor.name is "unconfined", which is not the container\'s own profile: choose a name for it, such as "hd-api"',
        ],
        [
            "a generated profile without programs",
            () => withAppArmor({ appArmor: { name: "hd-api", rules: { execute: [] } } }),
            'args.appArmor.rules.execute must list the programs the service runs, its entrypoint first, such as ["/app/server"]',
        ],
        [
            "a written profile in complain mode",
            () => withAppArmor({ appArmor: { name: "hd-api", profile: "profile hd-api flags=(complain) {\n}\n" } }),
            "args.appArmor.profile sets the flag complain, which lets everything through: the profile must enforce (CIS 5.2)",
        ],
    ];
    for (const [title, args, message] of BAD) {
        it(`rejects ${title}`, () => {
            assert.throws(() => validateContainerArgs(args()), { name: "ArgumentError", message });
        });
    }

    it("checks the capabilities before the profile", () => {
        assert.throws(
            () =>
                validateContainerArgs(
                    withAppArmor({ capabilities: ["ALL"], appArmor: { name: "X", rules: {} } as never }),
                ),
            {
                name: "ArgumentError",
                message: "args.capabilities[0] is ALL; list each capability the service needs (CIS 5.4)",
            },
        );
    });
});
