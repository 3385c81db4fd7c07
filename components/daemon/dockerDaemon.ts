import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError, nestedArguments } from "../common/errors";
import { TOKENS } from "../common/tokens";
import { runSteps } from "../host/commands";
import { validateDataRoot } from "../host/dataVolume";
import { stepHash } from "../host/shell";
import type { HostContext, HostStep } from "../host/step";
import type { DockerDaemonArgs } from "./args";
import { renderDaemonConfig, renderDaemonJson, validateDaemonConfigArgs, type DaemonConfigPlan } from "./config";
import { renderDaemonFiles, validateDaemonFilesArgs } from "./files";
import { withoutPromiseStacks } from "../common/promiseStacks";

/** What the component will do, validated and rendered, before it does anything. */
export interface DaemonPlan {
    config: DaemonConfigPlan;
    /** daemon.json exactly as it is written to the host. */
    daemonJson: string;
    /** The steps, in the order they run: daemon-config, then daemon-files. */
    steps: HostStep[];
}

/** Validates the arguments and renders both steps. Throws ArgumentError naming the argument. */
export function planDaemon(args: DockerDaemonArgs): DaemonPlan {
    if (args === undefined || args === null) {
        throw new ArgumentError("args", "are required: connection and dockerEndpoint");
    }
    if (args.connection === undefined || args.connection === null) {
        throw new ArgumentError(
            "args.connection",
            "is required: the SSH connection to the host (HardenedHost's connection)",
        );
    }
    if (args.dockerEndpoint === undefined || args.dockerEndpoint === "") {
        throw new ArgumentError(
            "args.dockerEndpoint",
            "is required: the engine's endpoint (HardenedHost's dockerEndpoint)",
        );
    }
    // The daemon steps read only the data root; the SSH facts belong to the host's steps.
    const ctx: HostContext = {
        connectionUser: "root",
        sshPort: 22,
        dataRoot: validateDataRoot(args.dataRoot ?? "/var/lib/docker"),
    };
    const validated = nestedArguments("args.config", () => validateDaemonConfigArgs(args.config, ctx));
    // The waivers sit under args.config here: name them as the caller wrote them.
    const config: DaemonConfigPlan = {
        ...validated,
        waivers: validated.waivers.map((w) => ({ ...w, argument: w.argument.replace(/^args\./, "args.config.") })),
    };
    const files = validateDaemonFilesArgs({ tls: config.tls !== undefined });
    return {
        config,
        daemonJson: renderDaemonJson(config),
        steps: [renderDaemonConfig(config, ctx), renderDaemonFiles(files, ctx)],
    };
}

/**
 * The Docker daemon's configuration per CIS sections 2 and 3, applied on a HardenedHost: daemon.json
 * with secure defaults (validated before it is active, applied with live restore, rolled back if the
 * daemon does not come back), and the ownership and modes of the daemon's files, kept across package
 * upgrades. Exports a Docker provider that containers use once the daemon is configured.
 */
export class DockerDaemon extends pulumi.ComponentResource {
    /** daemon.json exactly as written to the host. */
    readonly daemonJson: string;
    /** The relaxations of section 2, each with its CIS id and reason (shown as waived by the audit). */
    readonly waivers: DaemonConfigPlan["waivers"];
    /** The sha256 of each step's script, by step id. */
    readonly artifactHashes: Record<string, string>;
    /** A Docker provider for the host, usable once the daemon's configuration is applied. */
    readonly provider: docker.Provider;
    /** The command of each step, by step id. */
    readonly steps: Record<string, command.remote.Command>;
    readonly plan: DaemonPlan;

    constructor(name: string, args: DockerDaemonArgs, opts?: pulumi.ComponentResourceOptions) {
        super(TOKENS.daemon, name, {}, opts);
        try {
            this.plan = planDaemon(args);
        } catch (e) {
            if (e instanceof ArgumentError) {
                throw new pulumi.ResourceError(`DockerDaemon "${name}": ${e.message}`, this);
            }
            throw e;
        }
        this.daemonJson = this.plan.daemonJson;
        this.waivers = this.plan.config.waivers;
        this.artifactHashes = Object.fromEntries(this.plan.steps.map((s) => [s.id, stepHash(s)]));
        const commands = runSteps(
            name,
            this.plan.steps.map((s) => ({ id: s.id, script: s.script, secret: s.secret })),
            args.connection,
            this,
            // A component's dependsOn does not pass to its children: the first step waits for it
            // (for a HardenedHost, for every one of its steps) itself.
            opts?.dependsOn,
        );
        this.steps = Object.fromEntries(this.plan.steps.map((s, i) => [s.id, commands[i]]));
        this.provider = withoutPromiseStacks(
            () =>
                new docker.Provider(
                    `${name}-docker`,
                    {
                        host: args.dockerEndpoint,
                        sshOpts: ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new"],
                    },
                    { parent: this, dependsOn: commands.slice(-1) },
                ),
        );
        this.registerOutputs({ daemonJson: this.daemonJson, artifactHashes: this.artifactHashes });
    }
}
