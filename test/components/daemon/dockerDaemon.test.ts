import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { DockerDaemon, planDaemon, type DockerDaemonArgs } from "../../../components/daemon";
import { RUN_AS_ROOT } from "../../../components/host";
import { registration, registrationsUnder, settle } from "../../harness/mocks";

const SECRET = "4dabf18193072939515e22adb298388d";

function args(): DockerDaemonArgs {
    return {
        connection: pulumi.secret({ host: "192.0.2.10", user: "admin", privateKey: "KEY" }),
        dockerEndpoint: "ssh://admin@192.0.2.10:22",
        config: {
            syslogAddress: "tcp://logs.example.net:514",
            waivers: { noAuthorizationPlugin: { reason: "single-tenant host, socket limited to root and deploy" } },
        },
    };
}

describe("DockerDaemon", () => {
    let daemon: DockerDaemon;
    before(async () => {
        daemon = new DockerDaemon("dd", args());
        await settle();
    });

    it("applies daemon.json, then the daemon's file modes, then offers a provider", () => {
        const cmds = registrationsUnder("dd").filter((r) => r.type === "command:remote:Command");
        assert.deepEqual(
            cmds.map((c) => c.name),
            ["dd-daemon-config", "dd-daemon-files"],
        );
        assert.deepEqual(cmds[0].dependencies, []);
        assert.deepEqual(cmds[1].dependencies, [cmds[0].urn]);
        const plan = planDaemon(args());
        cmds.forEach((c, i) => {
            assert.equal(c.inputs.create, RUN_AS_ROOT);
            assert.equal(c.inputs.stdin, plan.steps[i].script);
            assert.equal(c.inputs.addPreviousOutputInEnv, false);
            assert.equal(
                (c.wireInputs.connection as Record<string, unknown>)[SECRET],
                "1b47061264138c4ac30d75fd1eb44270",
            );
        });
        const provider = registration("pulumi:providers:docker", "dd-docker");
        assert.equal(provider.inputs.host, "ssh://admin@192.0.2.10:22");
        assert.deepEqual(provider.dependencies, [cmds[1].urn]);
    });

    it("exports daemon.json as written, the waivers with their reasons, and the script hashes", () => {
        const json = JSON.parse(daemon.daemonJson) as Record<string, unknown>;
        assert.equal(json.icc, false);
        assert.equal(json["live-restore"], true);
        assert.equal(json["no-new-privileges"], true);
        assert.equal(json["userland-proxy"], false);
        assert.equal(json["userns-remap"], "default");
        assert.equal(json["log-driver"], "syslog");
        assert.equal(daemon.daemonJson.endsWith("}\n"), true);
        assert.deepEqual(daemon.waivers, [
            {
                cis: "2.12",
                argument: "args.config.waivers.noAuthorizationPlugin",
                reason: "single-tenant host, socket limited to root and deploy",
            },
        ]);
        const plan = planDaemon(args());
        assert.deepEqual(daemon.artifactHashes, {
            "daemon-config": createHash("sha256").update(plan.steps[0].script).digest("hex"),
            "daemon-files": createHash("sha256").update(plan.steps[1].script).digest("hex"),
        });
    });

    it("waits for what it depends on before its first step (a component's dependsOn does not reach its children)", async () => {
        const before = new DockerDaemon("dd-first", args());
        new DockerDaemon("dd-after", args(), { dependsOn: [before] });
        await settle();
        const first = registration("command:remote:Command", "dd-after-daemon-config");
        assert.deepEqual(
            [...first.dependencies].sort(),
            registrationsUnder("dd-first")
                .filter((r) => r.custom)
                .map((r) => r.urn)
                .sort(),
        );
    });

    it("fails at preview with a ResourceError naming the argument", () => {
        const bad = args();
        bad.config = { ...bad.config, waivers: {} };
        assert.throws(
            () => new DockerDaemon("dd-bad", bad),
            (e: unknown) =>
                e instanceof pulumi.ResourceError &&
                e.message ===
                    'DockerDaemon "dd-bad": args.config.authorizationPlugins is empty: every client of the socket may do everything; name an authorization plugin (CIS 2.12); or give waivers.noAuthorizationPlugin: { reason }',
        );
        assert.throws(
            () => new DockerDaemon("dd-bad3", { ...args(), dataRoot: "var/lib/docker" }),
            (e: unknown) =>
                e instanceof pulumi.ResourceError &&
                e.message ===
                    'DockerDaemon "dd-bad3": args.dataRoot must be an absolute path of [A-Za-z0-9_.-] components without ., .. or a trailing /, got "var/lib/docker"',
        );
        assert.throws(
            () => new DockerDaemon("dd-bad2", { ...args(), dockerEndpoint: "" }),
            (e: unknown) =>
                e instanceof pulumi.ResourceError &&
                e.message ===
                    `DockerDaemon "dd-bad2": args.dockerEndpoint is required: the engine's endpoint (HardenedHost's dockerEndpoint)`,
        );
    });
});
