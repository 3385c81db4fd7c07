import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ALL_POLICIES } from "../../policy-pack/policies";
import { policyPack, UNKNOWN, urnOf, type PackConfig, type PolicyPackClient } from "../harness/policyPack";
import {
    compliantContainer,
    compliantNetwork,
    compliantStack,
    CONTAINER,
    DIGEST,
    expected,
    meta,
    NETWORK,
    PIDS_SCRIPT,
    REMOTE_IMAGE,
} from "./fixtures";

const BASE_CONFIG: PackConfig = {
    "docker-image-require-trusted-registry": { allowedRegistries: ["ghcr.io/acme", "docker.io/library"] },
};

type Props = Record<string, unknown>;

interface Case {
    title: string;
    change: (p: Props) => void;
    violations: [policy: string, sentence: string][];
}

/** One failing case per violation branch, each made by changing one field of the compliant container. */
const CONTAINER_CASES: Case[] = [
    {
        title: "no user",
        change: (p) => delete p.user,
        violations: [
            [
                "docker-container-require-non-root-user",
                "user is not set, so the container runs as the image's default user, which is root unless the image says otherwise; expected a non-root user (CIS 4.1).",
            ],
        ],
    },
    {
        title: "root user",
        change: (p) => (p.user = "0:0"),
        violations: [
            [
                "docker-container-require-non-root-user",
                "user is 0:0, which is root; expected a non-root user (CIS 4.1).",
            ],
        ],
    },
    {
        title: "no healthcheck",
        change: (p) => delete p.healthcheck,
        violations: [
            [
                "docker-container-require-healthcheck",
                "healthcheck is not set; expected a health check command (CIS 4.6).",
            ],
        ],
    },
    {
        title: "healthcheck NONE",
        change: (p) => (p.healthcheck = { tests: ["NONE"] }),
        violations: [
            [
                "docker-container-require-healthcheck",
                'healthcheck.tests is ["NONE"], which disables the image\'s health check; expected a health check command (CIS 4.6).',
            ],
        ],
    },
    {
        title: "healthcheck interval too long",
        change: (p) => (p.healthcheck = { tests: ["CMD", "/app/health"], interval: "10m", timeout: "5s" }),
        violations: [
            [
                "docker-container-require-runtime-health-check",
                "healthcheck.interval is 10m; expected at most 300s so that a failure is seen at runtime (CIS 5.27).",
            ],
        ],
    },
    {
        title: "healthcheck timeout too long",
        change: (p) => (p.healthcheck = { tests: ["CMD", "/app/health"], interval: "30s", timeout: "1h" }),
        violations: [
            [
                "docker-container-require-runtime-health-check",
                "healthcheck.timeout is 1h; expected at most 300s so that a hung probe counts as a failure (CIS 5.27).",
            ],
        ],
    },
    {
        title: "apparmor unconfined",
        change: (p) => (p.securityOpts = ["no-new-privileges:true", "apparmor:unconfined"]),
        violations: [
            [
                "docker-container-require-apparmor-profile",
                'securityOpts has "apparmor=unconfined"; expected an AppArmor profile such as docker-default (CIS 5.2).',
            ],
        ],
    },
    {
        title: "selinux labelling off",
        change: (p) => (p.securityOpts = ["no-new-privileges:true", "apparmor=docker-default", "label=disable"]),
        violations: [
            [
                "docker-container-disallow-selinux-label-disable",
                'securityOpts has "label=disable", which turns SELinux confinement off; expected no such option (CIS 5.3).',
            ],
        ],
    },
    {
        title: "capabilities not dropped",
        change: (p) => (p.capabilities = { adds: ["NET_BIND_SERVICE"] }),
        violations: [
            [
                "docker-container-restrict-capabilities",
                'capabilities.drops does not include "ALL"; expected ["ALL"] (CIS 5.4).',
            ],
        ],
    },
    {
        title: "a capability outside the allowed list",
        change: (p) => (p.capabilities = { drops: ["ALL"], adds: ["cap_sys_admin", "NET_BIND_SERVICE"] }),
        violations: [
            [
                "docker-container-restrict-capabilities",
                "capabilities.adds has SYS_ADMIN, not in the allowed list (CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, NET_BIND_SERVICE, SETGID, SETPCAP, SETUID) (CIS 5.4).",
            ],
        ],
    },
    {
        title: "privileged",
        change: (p) => (p.privileged = true),
        violations: [["docker-container-disallow-privileged", "privileged is true; expected false (CIS 5.5)."]],
    },
    {
        title: "a sensitive host directory",
        change: (p) => (p.volumes = [{ hostPath: "/etc/ssl", containerPath: "/certs" }]),
        violations: [
            [
                "docker-container-disallow-sensitive-host-mounts",
                "volumes[0].hostPath mounts /etc/ssl, which is or lies under the sensitive host directory /etc; expected no such mount (CIS 5.6).",
            ],
        ],
    },
    {
        title: "the host root by bind mount",
        change: (p) => (p.mounts = [{ type: "bind", source: "/", target: "/host" }]),
        violations: [
            [
                "docker-container-disallow-sensitive-host-mounts",
                "mounts[0].source mounts /, which is or lies under the sensitive host directory /; expected no such mount (CIS 5.6).",
            ],
        ],
    },
    {
        title: "the Docker socket",
        change: (p) => (p.volumes = [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }]),
        violations: [
            [
                "docker-container-disallow-docker-socket-mount",
                "volumes[0].hostPath mounts /var/run/docker.sock, which exposes the container engine (/var/run/docker.sock); expected no such mount (CIS 5.32).",
            ],
        ],
    },
    {
        title: "a parent of the Docker socket",
        change: (p) => (p.mounts = [{ type: "bind", source: "/run/", target: "/hostrun" }]),
        violations: [
            [
                "docker-container-disallow-docker-socket-mount",
                "mounts[0].source mounts /run/, which exposes the container engine (/run/docker.sock); expected no such mount (CIS 5.32).",
            ],
        ],
    },
    {
        title: "a privileged host port",
        change: (p) => (p.ports = [{ internal: 80, external: 80, ip: "127.0.0.1" }]),
        violations: [
            [
                "docker-container-disallow-privileged-ports",
                "ports[0].external is 80; expected 1024 or above (CIS 5.8).",
            ],
        ],
    },
    {
        title: "host network",
        change: (p) => (p.networkMode = "host"),
        violations: [
            [
                "docker-container-disallow-host-network",
                'networkMode is "host"; expected a user-defined network (CIS 5.10).',
            ],
        ],
    },
    {
        title: "no memory limit",
        change: (p) => delete p.memory,
        violations: [
            [
                "docker-container-require-memory-limit",
                "memory is not set, so the container may use all of the host's memory; expected a limit in MiB (CIS 5.11).",
            ],
        ],
    },
    {
        title: "default CPU shares",
        change: (p) => (p.cpuShares = 1024),
        violations: [
            [
                "docker-container-require-cpu-limit",
                "cpuShares, cpus and cpuQuota are unset or default, so the container competes equally for every CPU; expected one of them (CIS 5.12).",
            ],
        ],
    },
    {
        title: "writable root",
        change: (p) => delete p.readOnly,
        violations: [["docker-container-require-read-only-root", "readOnly is not true; expected true (CIS 5.13)."]],
    },
    {
        title: "a port without an address",
        change: (p) => (p.ports = [{ internal: 8080, external: 8080 }]),
        violations: [
            [
                "docker-container-require-host-address-binding",
                "ports[0].ip is not set, so the port is published on every host address (0.0.0.0); expected a specific address (CIS 5.14).",
            ],
        ],
    },
    {
        title: "a port on ::",
        change: (p) => (p.ports = [{ internal: 8080, external: 8080, ip: "::" }]),
        violations: [
            [
                "docker-container-require-host-address-binding",
                "ports[0].ip is ::, every host address; expected a specific address (CIS 5.14).",
            ],
        ],
    },
    {
        title: "publish all ports",
        change: (p) => (p.publishAllPorts = true),
        violations: [
            [
                "docker-container-require-host-address-binding",
                "publishAllPorts is true, which publishes every exposed port on every host address; expected false (CIS 5.14).",
            ],
        ],
    },
    {
        title: "restart always",
        change: (p) => (p.restart = "always"),
        violations: [
            [
                "docker-container-restrict-restart-policy",
                'restart is "always", which restarts without bound; expected "on-failure" (CIS 5.15).',
            ],
        ],
    },
    {
        title: "unbounded on-failure restarts",
        change: (p) => delete p.maxRetryCount,
        violations: [
            [
                "docker-container-restrict-restart-policy",
                'maxRetryCount is unset (unlimited); expected 1 to 5 with restart "on-failure" (CIS 5.15).',
            ],
        ],
    },
    {
        title: "host PID namespace",
        change: (p) => (p.pidMode = "host"),
        violations: [["docker-container-disallow-host-pid", 'pidMode is "host"; expected it unset (CIS 5.16).']],
    },
    {
        title: "host IPC namespace",
        change: (p) => (p.ipcMode = "host"),
        violations: [["docker-container-disallow-host-ipc", 'ipcMode is "host"; expected "private" (CIS 5.17).']],
    },
    {
        title: "a host device",
        change: (p) => (p.devices = [{ hostPath: "/dev/kmsg" }]),
        violations: [
            [
                "docker-container-disallow-host-devices",
                "devices[0] exposes the host device /dev/kmsg; expected no devices (CIS 5.18).",
            ],
        ],
    },
    {
        title: "shared mount propagation",
        change: (p) =>
            (p.mounts = [
                { type: "bind", source: "/srv/data", target: "/data", bindOptions: { propagation: "rshared" } },
            ]),
        violations: [
            [
                "docker-container-disallow-shared-mount-propagation",
                'mounts[0].bindOptions.propagation is "rshared"; expected private propagation (CIS 5.20).',
            ],
        ],
    },
    {
        title: "seccomp unconfined",
        change: (p) => (p.securityOpts = ["no-new-privileges:true", "apparmor=docker-default", "seccomp=unconfined"]),
        violations: [
            [
                "docker-container-disallow-unconfined-seccomp",
                'securityOpts has "seccomp=unconfined"; expected Docker\'s default or a custom profile (CIS 5.22).',
            ],
        ],
    },
    {
        title: "a custom cgroup parent",
        change: (p) => (p.cgroupParent = "/custom"),
        violations: [
            [
                "docker-container-disallow-custom-cgroup-parent",
                "cgroupParent is /custom; expected it unset (CIS 5.25).",
            ],
        ],
    },
    {
        title: "no no-new-privileges",
        change: (p) => (p.securityOpts = ["apparmor=docker-default"]),
        violations: [
            [
                "docker-container-require-no-new-privileges",
                'securityOpts has no "no-new-privileges:true"; expected it (CIS 5.26).',
            ],
        ],
    },
    {
        title: "the default bridge by name",
        change: (p) => (p.networkMode = "bridge"),
        violations: [
            [
                "docker-container-disallow-default-bridge",
                'networkMode is "bridge", Docker\'s default bridge; expected a user-defined network (CIS 5.30).',
            ],
        ],
    },
    {
        title: "the default bridge by omission",
        change: (p) => delete p.networkMode,
        violations: [
            [
                "docker-container-disallow-default-bridge",
                "networkMode and networksAdvanced are unset, so the container joins Docker's default bridge; expected a user-defined network (CIS 5.30).",
            ],
        ],
    },
    {
        title: "the default bridge among its networks",
        change: (p) => {
            delete p.networkMode;
            p.networksAdvanced = [{ name: "app" }, { name: "bridge" }];
        },
        violations: [
            [
                "docker-container-disallow-default-bridge",
                'networksAdvanced[1].name is "bridge", Docker\'s default bridge; expected a user-defined network (CIS 5.30).',
            ],
        ],
    },
    {
        title: "host user namespace",
        change: (p) => (p.usernsMode = "host"),
        violations: [["docker-container-disallow-host-userns", 'usernsMode is "host"; expected it unset (CIS 5.31).']],
    },
];

describe("policy pack, through the analyzer server", () => {
    let pack: PolicyPackClient;
    before(async function () {
        this.timeout(60000);
        pack = await policyPack();
    });
    beforeEach(() => pack.configure(BASE_CONFIG));

    it("serves every policy with its CIS framework, severity, remediation and config schema", async () => {
        const info = await pack.info();
        assert.equal(info.getName(), "hardened-docker");
        const served = info.getPoliciesList().map((p) => p.getName());
        assert.deepEqual(
            served,
            ALL_POLICIES.map((p) => p.meta.name),
        );
        assert.equal(served.length, 76);
        for (const p of info.getPoliciesList()) {
            const m = meta(p.getName());
            const section = m.cis.split(".")[0];
            if (m.benchmark === "aws") {
                assert.equal(p.getFramework()?.getName(), "CIS Amazon Web Services Foundations Benchmark");
                assert.equal(p.getFramework()?.getVersion(), "3.0.0");
                assert.deepEqual(p.getTagsList(), ["cis-aws-3.0.0", `cis-aws-${m.cis}`, `section-aws-${section}`]);
            } else {
                assert.equal(p.getFramework()?.getName(), "CIS Docker Benchmark");
                assert.equal(p.getFramework()?.getVersion(), "1.6.0");
                assert.deepEqual(p.getTagsList(), ["cis-docker-1.6.0", `cis-${m.cis}`, `section-${section}`]);
            }
            assert.equal(p.getFramework()?.getReference(), m.cis);
            assert.equal(p.getRemediationSteps(), m.remediation);
            const schema = p.getConfigschema()?.getProperties()?.toJavaScript() as Record<string, unknown>;
            assert.ok("waivers" in schema, `${p.getName()} has no waivers setting`);
        }
    });

    it("serves every resource policy for one resource type, which the server skips every other type by", () => {
        // The function the policy server asks before it deserializes a resource for a policy.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { getPulumiType } = require("@pulumi/policy/policy") as { getPulumiType(f: unknown): string | undefined };
        const perType: Record<string, number> = {};
        for (const p of ALL_POLICIES) {
            const validate = "validateResource" in p.policy ? p.policy.validateResource : undefined;
            if (validate === undefined) {
                assert.equal(p.resourceType, undefined, p.meta.name);
                perType.stack = (perType.stack ?? 0) + 1;
                continue;
            }
            assert.ok(!Array.isArray(validate), p.meta.name);
            assert.equal(getPulumiType(validate), p.resourceType, p.meta.name);
            perType[p.resourceType!] = (perType[p.resourceType!] ?? 0) + 1;
        }
        assert.deepEqual(perType, {
            "docker:index/container:Container": 25,
            "docker:index/network:Network": 1,
            "pulumi:providers:docker": 1,
            "command:remote:Command": 15,
            "command:local:Command": 15,
            stack: 5,
            "aws:ebs/volume:Volume": 1,
            "aws:ec2/instance:Instance": 3,
            "aws:ec2/spotInstanceRequest:SpotInstanceRequest": 3,
            "aws:ec2/launchTemplate:LaunchTemplate": 3,
            "aws:ec2/securityGroup:SecurityGroup": 1,
            "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": 1,
            "aws:ec2/securityGroupRule:SecurityGroupRule": 1,
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
        });
    });

    it("is published under the package's version", () => {
        const version = (file: string) =>
            (JSON.parse(readFileSync(path.join(__dirname, "../..", file), "utf8")) as { version: string }).version;
        assert.equal(version("policy-pack/package.json"), version("package.json"));
        assert.equal(version("policy-pack/package.json"), "3.0.3");
    });

    it("keeps a rule's policies together, the one named after the rule first", () => {
        const rules = ALL_POLICIES.map((p) => p.rule);
        const firsts = ALL_POLICIES.filter((p, i) => i === 0 || rules[i - 1] !== p.rule);
        assert.deepEqual(
            firsts.map((p) => p.meta.name),
            [...new Set(rules)],
        );
        assert.equal(firsts.length, 52);
        for (const p of ALL_POLICIES.filter((x) => x.rule !== x.meta.name)) {
            const rule = ALL_POLICIES.find((x) => x.meta.name === p.rule)!;
            assert.deepEqual({ ...p.meta, name: rule.meta.name }, rule.meta, p.meta.name);
        }
    });

    it("defaults critical and high severity policies to mandatory, the rest to advisory", () => {
        for (const p of ALL_POLICIES) {
            const expectedLevel =
                p.meta.severity === "critical" || p.meta.severity === "high" ? "mandatory" : "advisory";
            assert.equal(p.meta.enforcementLevel, expectedLevel, p.meta.name);
        }
    });

    it("passes the compliant container and network", async () => {
        assert.deepEqual(await pack.analyze({ type: CONTAINER, name: "api", props: compliantContainer() }), []);
        assert.deepEqual(await pack.analyze({ type: NETWORK, name: "app", props: compliantNetwork() }), []);
    });

    for (const c of CONTAINER_CASES) {
        it(`rejects a container with ${c.title}`, async () => {
            const props = compliantContainer();
            c.change(props);
            const got = await pack.analyze({ type: CONTAINER, name: "api", props });
            assert.deepEqual(
                got,
                c.violations.map(([policy, sentence]) => expected(policy, sentence)),
            );
        });
    }

    it("covers every container policy branch with a failing case", () => {
        const tripped = new Set(CONTAINER_CASES.flatMap((c) => c.violations.map(([p]) => p)));
        const containerPolicies = ALL_POLICIES.filter(
            (p) => p.meta.name.startsWith("docker-container-") && "validateResource" in p.policy,
        );
        assert.deepEqual(
            containerPolicies.map((p) => p.meta.name).filter((n) => !tripped.has(n)),
            [],
        );
    });

    it("rejects a bridge network with inter-container communication on, and ignores other drivers", async () => {
        const icc = compliantNetwork();
        (icc.options as Record<string, string>)["com.docker.network.bridge.enable_icc"] = "true";
        assert.deepEqual(await pack.analyze({ type: NETWORK, name: "app", props: icc }), [
            expected(
                "docker-network-disable-icc",
                'options["com.docker.network.bridge.enable_icc"] is "true"; expected "false" (CIS 2.2).',
            ),
        ]);
        assert.deepEqual(await pack.analyze({ type: NETWORK, name: "app", props: { driver: "bridge" } }), [
            expected(
                "docker-network-disable-icc",
                'options["com.docker.network.bridge.enable_icc"] is unset (true); expected "false" (CIS 2.2).',
            ),
        ]);
        assert.deepEqual(await pack.analyze({ type: NETWORK, name: "ov", props: { driver: "overlay" } }), []);
    });

    it("reads an org's settings: allowed capabilities, port floor, explicit AppArmor", async () => {
        await pack.configure({
            ...BASE_CONFIG,
            "docker-container-restrict-capabilities": { allowedCapabilities: ["CAP_NET_BIND_SERVICE", "SYS_ADMIN"] },
            "docker-container-disallow-privileged-ports": { portFloor: 9000 },
            "docker-container-require-apparmor-profile": { requireExplicitProfile: true },
        });
        const props = compliantContainer();
        props.capabilities = { drops: ["ALL"], adds: ["SYS_ADMIN"] };
        props.securityOpts = ["no-new-privileges:true"];
        assert.deepEqual(await pack.analyze({ type: CONTAINER, name: "api", props }), [
            expected(
                "docker-container-require-apparmor-profile",
                'securityOpts names no AppArmor profile; expected "apparmor=<profile>" (CIS 5.2).',
            ),
            expected(
                "docker-container-disallow-privileged-ports",
                "ports[0].external is 8080; expected 9000 or above (CIS 5.8).",
            ),
        ]);
    });

    it("honours an enforcement level set in the config, and disabled policies do not run", async () => {
        await pack.configure({
            ...BASE_CONFIG,
            "docker-container-disallow-privileged": { enforcementLevel: "advisory" },
            "docker-container-require-read-only-root": { enforcementLevel: "disabled" },
        });
        const props = compliantContainer();
        props.privileged = true;
        props.readOnly = false;
        const got = await pack.analyze({ type: CONTAINER, name: "api", props });
        assert.deepEqual(got, [
            {
                ...expected("docker-container-disallow-privileged", "privileged is true; expected false (CIS 5.5)."),
                enforcementLevel: "advisory",
            },
        ]);
    });

    describe("waivers", () => {
        const privileged = () => {
            const props = compliantContainer();
            props.privileged = true;
            return props;
        };
        const waive = (w: Record<string, unknown>) =>
            pack.configure({ ...BASE_CONFIG, "docker-container-disallow-privileged": { waivers: [w] } });

        it("a waiver by name pattern with a justification applies", async () => {
            await waive({ resource: "legacy-*", justification: "vendor appliance needs raw sockets; INC-1234" });
            assert.deepEqual(await pack.analyze({ type: CONTAINER, name: "legacy-scanner", props: privileged() }), []);
            // ...and only to what it names.
            assert.equal((await pack.analyze({ type: CONTAINER, name: "api", props: privileged() })).length, 1);
        });

        it("a waiver by URN applies", async () => {
            await waive({ resource: urnOf(CONTAINER, "api"), justification: "approved by security, ticket SEC-42" });
            assert.deepEqual(await pack.analyze({ type: CONTAINER, name: "api", props: privileged() }), []);
        });

        it("an expired waiver does not apply, and the violation says so", async () => {
            await waive({ resource: "api", justification: "temporary exception SEC-42", expires: "2020-01-31" });
            assert.deepEqual(await pack.analyze({ type: CONTAINER, name: "api", props: privileged() }), [
                expected(
                    "docker-container-disallow-privileged",
                    'privileged is true; expected false (CIS 5.5). (waiver "api" expired on 2020-01-31, so it does not apply)',
                ),
            ]);
        });

        it("a waiver with a future expiry applies", async () => {
            await waive({ resource: "api", justification: "temporary exception SEC-42", expires: "2999-12-31" });
            assert.deepEqual(await pack.analyze({ type: CONTAINER, name: "api", props: privileged() }), []);
        });

        it("a waiver without a justification does not apply", async () => {
            await waive({ resource: "api", justification: "ok" });
            assert.deepEqual(await pack.analyze({ type: CONTAINER, name: "api", props: privileged() }), [
                expected(
                    "docker-container-disallow-privileged",
                    'privileged is true; expected false (CIS 5.5). (waiver "api" has no justification, so it does not apply)',
                ),
            ]);
        });
    });

    describe("values unknown during preview", () => {
        it("raise no violation and no error, for any field of the container", async () => {
            const base = compliantContainer();
            for (const key of Object.keys(base)) {
                const props = { ...base, [key]: UNKNOWN };
                assert.deepEqual(await pack.analyze({ type: CONTAINER, name: "api", props }), [], key);
            }
        });

        it("inside lists and objects too", async () => {
            const props = compliantContainer();
            props.ports = [{ internal: 8080, external: UNKNOWN, ip: UNKNOWN }];
            props.capabilities = { drops: UNKNOWN, adds: [UNKNOWN] };
            props.healthcheck = { tests: ["CMD", UNKNOWN], interval: UNKNOWN, timeout: "5s" };
            assert.deepEqual(await pack.analyze({ type: CONTAINER, name: "api", props }), []);
        });

        it("in a stack, an unknown command script or image is not a violation", async () => {
            const stack = compliantStack();
            (stack[1].props as Record<string, unknown>).create = UNKNOWN;
            (stack[0].props as Record<string, unknown>).image = UNKNOWN;
            assert.deepEqual(await pack.analyzeStack(stack), []);
        });
    });

    describe("stack policies", () => {
        it("pass the compliant stack", async () => {
            assert.deepEqual(await pack.analyzeStack(compliantStack()), []);
        });

        it("reject a container that no command gives a PIDs limit", async () => {
            const stack = compliantStack().filter((r) => r.name !== "api-pids-limit");
            assert.deepEqual(await pack.analyzeStack(stack), [
                expected(
                    "docker-container-require-pids-limit",
                    "container api has no PIDs limit: no command that depends on it runs docker update --pids-limit (CIS 5.29).",
                    urnOf(CONTAINER, "api"),
                ),
            ]);
        });

        it("reject a PIDs limit above the allowed maximum", async () => {
            const stack = compliantStack();
            (stack[1].props as Record<string, unknown>).create = PIDS_SCRIPT.replace("128", "100000");
            assert.deepEqual(await pack.analyzeStack(stack), [
                expected(
                    "docker-container-require-pids-limit",
                    "container api gets the PIDs limit 100000; expected 1 to 4096 (CIS 5.29).",
                    urnOf(CONTAINER, "api"),
                ),
            ]);
        });

        it("reject an image from a registry off the allow-list, on a container and on a remote image", async () => {
            const stack = compliantStack();
            (stack[0].props as Record<string, unknown>).image = `quay.io/evil/api@${DIGEST}`;
            (stack[2].props as Record<string, unknown>).name = `ghcr.io/acme-evil/x@${DIGEST}`;
            assert.deepEqual(await pack.analyzeStack(stack), [
                expected(
                    "docker-image-require-trusted-registry",
                    "image comes from quay.io/evil/api, which is not under an allowed registry (ghcr.io/acme, docker.io/library) (CIS 4.2).",
                    urnOf(CONTAINER, "api"),
                ),
                expected(
                    "docker-image-require-trusted-registry",
                    "name comes from ghcr.io/acme-evil/x, which is not under an allowed registry (ghcr.io/acme, docker.io/library) (CIS 4.2).",
                    urnOf(REMOTE_IMAGE, "base"),
                ),
            ]);
        });

        it("reject an invalid reference, and an image id that nothing in the stack provides", async () => {
            const stack = compliantStack();
            (stack[0].props as Record<string, unknown>).image = "Not A Ref";
            assert.deepEqual(
                (await pack.analyzeStack(stack)).map((d) => d.message.split("\n")[1]),
                [
                    `image is "Not A Ref", which is not a valid image reference; expected registry/repository@sha256:<digest> (CIS 4.2). Fix: ${meta("docker-image-require-trusted-registry").remediation}`,
                ],
            );
            (stack[0].props as Record<string, unknown>).image = DIGEST;
            assert.deepEqual(await pack.analyzeStack(stack), [
                expected(
                    "docker-image-require-trusted-registry",
                    "image is an image id that no image resource in this stack provides, so its registry cannot be checked; expected a reference from an allowed registry (CIS 4.2).",
                    urnOf(CONTAINER, "api"),
                ),
            ]);
        });

        it("trace a container's image id to the remote image it came from", async () => {
            const stack = compliantStack();
            (stack[0].props as Record<string, unknown>).image = DIGEST;
            (stack[0] as { propertyDependencies?: Record<string, string[]> }).propertyDependencies = {
                image: [urnOf(REMOTE_IMAGE, "base")],
            };
            assert.deepEqual(await pack.analyzeStack(stack), []);
        });

        it("reject an image referenced by tag alone", async () => {
            const stack = compliantStack();
            (stack[0].props as Record<string, unknown>).image = "ghcr.io/acme/api:1.2.3";
            (stack[2].props as Record<string, unknown>).name = "alpine";
            assert.deepEqual(await pack.analyzeStack(stack), [
                expected(
                    "docker-image-require-digest-pin",
                    'image is "ghcr.io/acme/api:1.2.3", a tag that can move; expected a reference pinned by @sha256 digest (CIS 5.28).',
                    urnOf(CONTAINER, "api"),
                ),
                expected(
                    "docker-image-require-digest-pin",
                    'name is "alpine", a tag that can move; expected a reference pinned by @sha256 digest (CIS 5.28).',
                    urnOf(REMOTE_IMAGE, "base"),
                ),
            ]);
        });

        it("waive a stack finding by resource name", async () => {
            await pack.configure({
                ...BASE_CONFIG,
                "docker-container-require-pids-limit": {
                    waivers: [{ resource: "api", justification: "pids limited by the host's systemd slice" }],
                },
            });
            const stack = compliantStack().filter((r) => r.name !== "api-pids-limit");
            assert.deepEqual(await pack.analyzeStack(stack), []);
        });
    });
});
