import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { HardenedContainer } from "../../../components";
import {
    renderAppArmorLoadScript,
    renderAppArmorUnloadCommand,
    validateAppArmor,
    type ContainerAppArmorArgs,
} from "../../../components/container/apparmor";
import { RUN_AS_ROOT } from "../../../components/host/commands";
import { renderPidsLimitScript } from "../../../components/container/render";
import { promiseOf, registration, registrationsUnder, settle } from "../../harness/mocks";
import { validArgs } from "./validate.test";

const CONTAINER = "docker:index/container:Container";
const SECRET = "4dabf18193072939515e22adb298388d";

describe("HardenedContainer", () => {
    it("registers the container with exactly the hardened inputs", async () => {
        const c = new HardenedContainer("hc-full", {
            ...validArgs(),
            capabilities: ["net_bind_service", "CAP_CHOWN"],
            writablePaths: [{ path: "/var/cache/app", sizeMb: 16 }, { path: "/tmp" }],
            volumes: [{ volumeName: "data", containerPath: "/data", readOnly: true }],
            ports: [
                { containerPort: 8080, hostPort: 18080 },
                { containerPort: 53, hostPort: 10053, protocol: "udp", hostAddress: "10.0.0.5" },
            ],
            env: { TOKEN: pulumi.secret("s3cr3t"), MODE: "prod" },
            command: ["/app/server", "--listen=:8080"],
            labels: { team: "payments" },
            containerName: "payments-api",
            memoryMb: 512,
            cpuShares: 256,
            pidsLimit: 64,
            maxRestarts: 3,
        });
        await settle();
        assert.deepEqual(
            registrationsUnder("hc-full").map((r) => `${r.type}::${r.name}`),
            [
                "hardened-docker:container:HardenedContainer::hc-full",
                `${CONTAINER}::hc-full`,
                "command:local:Command::hc-full-pids-limit",
            ],
        );
        const container = registration(CONTAINER, "hc-full");
        assert.equal(
            container.parent,
            "urn:pulumi:test::hardened-docker::hardened-docker:container:HardenedContainer::hc-full",
        );
        assert.deepEqual(container.inputs, {
            image: `ghcr.io/acme/api@sha256:${"c".repeat(64)}`,
            name: "payments-api",
            user: "10001:10001",
            capabilities: { drops: ["ALL"], adds: ["CHOWN", "NET_BIND_SERVICE"] },
            privileged: false,
            readOnly: true,
            securityOpts: ["no-new-privileges:true", "apparmor=docker-default"],
            memory: 512,
            memorySwap: 512,
            cpuShares: 256,
            restart: "on-failure",
            maxRetryCount: 3,
            ipcMode: "private",
            networkMode: "app",
            labels: [
                { label: "io.hardened-docker.cis-benchmark", value: "1.6.0" },
                { label: "io.hardened-docker.managed", value: "true" },
                { label: "team", value: "payments" },
            ],
            tmpfs: {
                "/tmp": "rw,noexec,nosuid,nodev,size=64m",
                "/var/cache/app": "rw,noexec,nosuid,nodev,size=16m",
            },
            volumes: [{ volumeName: "data", containerPath: "/data", readOnly: true }],
            ports: [
                { internal: 8080, external: 18080, ip: "127.0.0.1", protocol: "tcp" },
                { internal: 53, external: 10053, ip: "10.0.0.5", protocol: "udp" },
            ],
            healthcheck: {
                tests: ["CMD", "/app/health"],
                interval: "30s",
                timeout: "5s",
                retries: 3,
                startPeriod: "10s",
            },
            wait: true,
            waitTimeout: 120,
            // The env list carries a secret, so the whole input travels as a secret.
            envs: { [SECRET]: "1b47061264138c4ac30d75fd1eb44270", value: ["MODE=prod", "TOKEN=s3cr3t"] },
            command: ["/app/server", "--listen=:8080"],
        });
        assert.equal(await promiseOf(c.containerName), "payments-api");
        assert.equal(await promiseOf(c.containerId), "hc-full-id");
    });

    it("applies the PIDs limit locally with DOCKER_HOST, after the container, re-run when it is replaced", async () => {
        new HardenedContainer("hc-local", { ...validArgs(), pidsLimit: 64 });
        await settle();
        const cmd = registration("command:local:Command", "hc-local-pids-limit");
        const containerUrn = registration(CONTAINER, "hc-local").urn;
        assert.deepEqual(cmd.inputs, {
            create: renderPidsLimitScript(64, "local"),
            stdin: "hc-local-id",
            triggers: ["hc-local-id"],
            addPreviousOutputInEnv: false,
            environment: { DOCKER_HOST: "unix:///var/run/docker.sock" },
        });
        assert.deepEqual(cmd.dependencies, [containerUrn]);
        assert.deepEqual(cmd.propertyDependencies.triggers, [containerUrn]);
        assert.deepEqual(cmd.propertyDependencies.stdin, [containerUrn]);
    });

    it("applies the PIDs limit over SSH with no environment (sshd AcceptEnv) and a secret connection", async () => {
        new HardenedContainer("hc-ssh", {
            ...validArgs(),
            host: { connection: { host: "192.0.2.7", user: "admin", privateKey: "KEY" } },
        });
        await settle();
        const cmd = registration("command:remote:Command", "hc-ssh-pids-limit");
        assert.deepEqual(Object.keys(cmd.inputs).sort(), [
            "addPreviousOutputInEnv",
            "connection",
            "create",
            "stdin",
            "triggers",
        ]);
        assert.equal(cmd.inputs.create, renderPidsLimitScript(128, "ssh"));
        assert.equal(cmd.inputs.addPreviousOutputInEnv, false);
        assert.equal(
            (cmd.wireInputs.connection as Record<string, unknown>)[SECRET],
            "1b47061264138c4ac30d75fd1eb44270",
        );
        assert.deepEqual(cmd.dependencies, [registration(CONTAINER, "hc-ssh").urn]);
    });

    it("writes each waiver's reason into the container's labels", async () => {
        new HardenedContainer("hc-waived", {
            ...validArgs(),
            user: "root",
            waivers: { rootUser: { reason: "legacy image, see SEC-1" } },
        });
        await settle();
        assert.deepEqual(registration(CONTAINER, "hc-waived").inputs.labels, [
            { label: "io.hardened-docker.cis-benchmark", value: "1.6.0" },
            { label: "io.hardened-docker.managed", value: "true" },
            { label: "io.hardened-docker.waiver.rootUser", value: "legacy image, see SEC-1" },
        ]);
    });

    it("fails at preview with a ResourceError naming the component and the argument", () => {
        assert.throws(
            () => new HardenedContainer("hc-bad", { ...validArgs(), user: "root" }),
            (e: unknown) =>
                e instanceof pulumi.ResourceError &&
                e.message ===
                    'HardenedContainer "hc-bad": args.user is root (root); use a non-root user, or give waivers.rootUser (CIS 4.1)',
        );
    });

    it("validates an image that arrives as an Output when it resolves", async () => {
        const c = new HardenedContainer("hc-output", {
            ...validArgs(),
            image: pulumi.output("docker.io/library/nginx:latest"),
        });
        const image = (c.container.image as unknown as { promise(): Promise<string> }).promise();
        // The registration fails with the component's message, so `pulumi preview` does too.
        const sentence =
            'HardenedContainer "hc-output": args.image must be pinned by digest (name@sha256:<64 hex>), got "docker.io/library/nginx:latest"; a tag needs waivers.imageTag (CIS 5.28)';
        await assert.rejects(image, (e: Error) =>
            e.message.endsWith(`error serializing property "image": ${sentence}`),
        );
    });
});

describe("HardenedContainer with its own AppArmor profile (args.appArmor)", () => {
    const COMMAND = "command:remote:Command";
    const COMPONENT = "hardened-docker:container:HardenedContainer";
    const connection = { host: "192.0.2.7", user: "admin", privateKey: "KEY" };
    const appArmor: ContainerAppArmorArgs = {
        name: "hd-api",
        rules: { execute: ["/app/server"], read: ["/app/**"], write: ["/data/**"], network: ["tcp"] },
    };

    /** The options each child resource was constructed with, by `type::name`. */
    function recordOptions(): [Record<string, pulumi.ResourceOptions>, pulumi.ComponentResourceOptions] {
        const seen: Record<string, pulumi.ResourceOptions> = {};
        const transformation: pulumi.ResourceTransformation = (a) => {
            seen[`${a.type}::${a.name}`] = a.opts;
            return undefined;
        };
        return [seen, { transformations: [transformation] }];
    }

    it("loads the profile as root over SSH, then creates the container under it, recreated when it changes", async () => {
        const [seen, opts] = recordOptions();
        const c = new HardenedContainer(
            "hc-aa",
            { ...validArgs(), host: { connection }, capabilities: ["net_bind_service"], appArmor },
            opts,
        );
        await settle();
        const plan = validateAppArmor(appArmor, ["NET_BIND_SERVICE"], "args.appArmor");
        assert.deepEqual(c.plan.appArmor, plan);
        assert.ok(plan.text.includes("\n  capability net_bind_service,\n"));
        assert.deepEqual(
            registrationsUnder("hc-aa").map((r) => `${r.type}::${r.name}`),
            [
                `${COMPONENT}::hc-aa`,
                `${COMMAND}::hc-aa-apparmor`,
                `${CONTAINER}::hc-aa`,
                `${COMMAND}::hc-aa-pids-limit`,
            ],
        );

        const cmd = registration(COMMAND, "hc-aa-apparmor");
        assert.equal(cmd.parent, `urn:pulumi:test::hardened-docker::${COMPONENT}::hc-aa`);
        assert.deepEqual(Object.keys(cmd.inputs).sort(), [
            "addPreviousOutputInEnv",
            "connection",
            "create",
            "delete",
            "stdin",
            "triggers",
        ]);
        assert.equal(cmd.inputs.create, RUN_AS_ROOT);
        // A new name replaces the command: the old profile's delete runs.
        assert.deepEqual(cmd.inputs.triggers, ["hd-api"]);
        assert.equal(cmd.inputs.stdin, renderAppArmorLoadScript(plan));
        assert.equal(cmd.inputs.delete, renderAppArmorUnloadCommand(plan));
        assert.equal(cmd.inputs.addPreviousOutputInEnv, false);
        // The connection as given, with the provider's defaults, as a secret.
        assert.deepEqual(cmd.wireInputs.connection, {
            [SECRET]: "1b47061264138c4ac30d75fd1eb44270",
            value: { ...connection, port: 22, dialErrorLimit: 10, perDialTimeout: 15 },
        });
        // The script travels in the clear: the profile is no secret, and the policies read it.
        assert.equal(typeof cmd.wireInputs.stdin, "string");
        assert.deepEqual(cmd.dependencies, []);

        const container = registration(CONTAINER, "hc-aa");
        assert.deepEqual(container.inputs.securityOpts, ["no-new-privileges:true", "apparmor=hd-api"]);
        assert.deepEqual(container.inputs.labels, [
            { label: "io.hardened-docker.apparmor", value: `hd-api sha256:${plan.sha256}` },
            { label: "io.hardened-docker.cis-benchmark", value: "1.6.0" },
            { label: "io.hardened-docker.managed", value: "true" },
        ]);
        assert.deepEqual(container.inputs.capabilities, { drops: ["ALL"], adds: ["NET_BIND_SERVICE"] });
        // The container is created after the profile is loaded, and replaced when its digest changes.
        assert.deepEqual(container.dependencies, [cmd.urn]);
        assert.ok(c.appArmor !== undefined);
        const dependsOn = seen[`${CONTAINER}::hc-aa`].dependsOn as pulumi.Resource[];
        assert.equal(dependsOn.length, 1);
        assert.equal(dependsOn[0], c.appArmor);
        assert.deepEqual(seen[`${CONTAINER}::hc-aa`].replaceOnChanges, ["labels"]);
        assert.equal(seen[`${COMMAND}::hc-aa-apparmor`].dependsOn, undefined);
        assert.equal(await promiseOf(c.appArmor.id), "hc-aa-apparmor-id");

        // The PIDs limit still follows the container.
        assert.deepEqual(registration(COMMAND, "hc-aa-pids-limit").dependencies, [container.urn]);
    });

    it("labels the container with a written profile's name and digest", async () => {
        const profile = "#include <tunables/global>\nprofile hd-web {\n  #include <abstractions/base>\n}\n";
        new HardenedContainer("hc-aa-written", {
            ...validArgs(),
            host: { connection },
            appArmor: { name: "hd-web", profile },
        });
        await settle();
        const digest = createHash("sha256").update(profile).digest("hex");
        const container = registration(CONTAINER, "hc-aa-written");
        assert.deepEqual(container.inputs.securityOpts, ["no-new-privileges:true", "apparmor=hd-web"]);
        assert.deepEqual((container.inputs.labels as { label: string; value: string }[])[0], {
            label: "io.hardened-docker.apparmor",
            value: `hd-web sha256:${digest}`,
        });
        const cmd = registration(COMMAND, "hc-aa-written-apparmor");
        assert.ok((cmd.inputs.stdin as string).includes(`\n${profile}`));
        assert.ok((cmd.inputs.stdin as string).includes(`\nAPPARMOR_SHA256=${digest}\n`));
        assert.equal(
            cmd.inputs.delete,
            renderAppArmorUnloadCommand(validateAppArmor({ name: "hd-web", profile }, [], "x")),
        );
    });

    it("registers no profile command and no profile label without args.appArmor", async () => {
        const [seen, opts] = recordOptions();
        const c = new HardenedContainer("hc-aa-none", { ...validArgs(), host: { connection } }, opts);
        await settle();
        assert.equal(c.appArmor, undefined);
        assert.equal(c.plan.appArmor, undefined);
        assert.deepEqual(
            registrationsUnder("hc-aa-none").map((r) => `${r.type}::${r.name}`),
            [`${COMPONENT}::hc-aa-none`, `${CONTAINER}::hc-aa-none`, `${COMMAND}::hc-aa-none-pids-limit`],
        );
        const container = registration(CONTAINER, "hc-aa-none");
        assert.deepEqual(container.inputs.securityOpts, ["no-new-privileges:true", "apparmor=docker-default"]);
        assert.deepEqual(
            (container.inputs.labels as { label: string }[]).map((l) => l.label),
            ["io.hardened-docker.cis-benchmark", "io.hardened-docker.managed"],
        );
        assert.deepEqual(container.dependencies, []);
        assert.equal(seen[`${CONTAINER}::hc-aa-none`].replaceOnChanges, undefined);
        assert.equal(seen[`${CONTAINER}::hc-aa-none`].dependsOn, undefined);
    });

    it("fails at preview when a second container names the same profile on the same host", () => {
        // A connection of its own: the other tests' containers claimed "hd-api" on theirs.
        const host = { connection: { ...connection } };
        new HardenedContainer("hc-aa-first", { ...validArgs(), host, appArmor });
        const message =
            'HardenedContainer "hc-aa-second": args.appArmor.name is "hd-api", the AppArmor profile of HardenedContainer "hc-aa-first" on the same host: a profile name is global on the host, so the two would overwrite each other\'s profile, and deleting either would unload the profile the other runs under; give each container a name of its own';
        // The same host object, or another host object over the same connection object.
        for (const second of [host, { connection: host.connection }]) {
            assert.throws(
                () => new HardenedContainer("hc-aa-second", { ...validArgs(), host: second, appArmor }),
                (e: unknown) => e instanceof pulumi.ResourceError && e.message === message,
            );
        }
        // Another name on that host, or the same name on another host, is fine.
        new HardenedContainer("hc-aa-third", { ...validArgs(), host, appArmor: { ...appArmor, name: "hd-api-2" } });
        new HardenedContainer("hc-aa-fourth", { ...validArgs(), host: { connection: { ...connection } }, appArmor });
    });

    it("fails at preview when a container of the same name under another parent names the same profile", () => {
        const host = { connection: { ...connection } };
        // Parents of two types, as the engine needs them: a URN holds the parent's type, not its
        // name, so under two parents of one type the children's URNs would collide.
        const parent = (type: string) => new pulumi.ComponentResource(`test:index:${type}`, "svc");
        new HardenedContainer("hc-aa-twin", { ...validArgs(), host, appArmor }, { parent: parent("Frontend") });
        assert.throws(
            () =>
                new HardenedContainer("hc-aa-twin", { ...validArgs(), host, appArmor }, { parent: parent("Backend") }),
            (e: unknown) =>
                e instanceof pulumi.ResourceError &&
                e.message ===
                    'HardenedContainer "hc-aa-twin": args.appArmor.name is "hd-api", the AppArmor profile of another HardenedContainer named "hc-aa-twin" on the same host: a profile name is global on the host, so the two would overwrite each other\'s profile, and deleting either would unload the profile the other runs under; give each container a name of its own',
        );
    });

    /**
     * runInPulumiStack leaves its stack as the parent of every later resource of the process; the
     * tests after this one register theirs without one, as under plain mocks.
     */
    const resetStack = () =>
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require("@pulumi/pulumi/runtime/state") as { setStackResource(s: undefined): void }).setStackResource(
            undefined,
        );

    it("claims profiles per run of the program: a process that runs it again with the same host is not refused", async () => {
        const host = { connection: { ...connection } };
        const run = () =>
            pulumi.runtime.runInPulumiStack(async () => {
                new HardenedContainer("hc-aa-rerun", { ...validArgs(), host, appArmor });
                return {};
            });
        try {
            await run();
            await run();
        } finally {
            resetStack();
        }
        // Within one run, a second container on that host is still refused.
        await assert.rejects(
            (async () => {
                try {
                    await pulumi.runtime.runInPulumiStack(async () => {
                        new HardenedContainer("hc-aa-rerun", { ...validArgs(), host, appArmor });
                        new HardenedContainer("hc-aa-rerun-2", { ...validArgs(), host, appArmor });
                        return {};
                    });
                } finally {
                    resetStack();
                }
            })(),
            (e: unknown) =>
                e instanceof pulumi.ResourceError &&
                e.message.startsWith(
                    'HardenedContainer "hc-aa-rerun-2": args.appArmor.name is "hd-api", the AppArmor profile of HardenedContainer "hc-aa-rerun" on the same host:',
                ),
        );
    });

    it("fails at preview with a ResourceError naming the AppArmor argument", () => {
        assert.throws(
            () =>
                new HardenedContainer("hc-aa-bad", {
                    ...validArgs(),
                    host: { connection },
                    appArmor: { name: "hd-api", rules: { execute: ["/app/server"], write: ["/**"] } },
                }),
            (e: unknown) =>
                e instanceof pulumi.ResourceError &&
                e.message ===
                    'HardenedContainer "hc-aa-bad": args.appArmor.rules.write[0] is "/**", which reaches the whole filesystem: name the directories the service writes, such as "/data/**"',
        );
    });
});
