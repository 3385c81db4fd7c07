import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError } from "../common/errors";
import { TOKENS } from "../common/tokens";
import type { HardenedContainerArgs } from "./args";
import { CONTAINER_DEFAULTS } from "./defaults";
import { RUN_AS_ROOT } from "../host/commands";
import { claimAppArmorProfiles } from "./apparmor/claims";
import { renderAppArmorLoadScript, renderAppArmorUnloadCommand } from "./apparmor/script";
import { renderContainerArgs, renderPidsLimitScript } from "./render";
import { validateContainerArgs, validateHostAddress, validateImage, type ContainerPlan } from "./validate";
import { withoutPromiseStacks } from "../common/promiseStacks";

/** The scope of AppArmor profile claims when the program runs without a stack resource (mocks). */
const NO_STACK = {};

/**
 * A Docker container secure by default: every capability dropped but those listed, read-only root,
 * no-new-privileges, AppArmor, a non-root user, memory, CPU and PIDs limits, restart on failure with
 * at most five tries, a health check, an image pinned by digest from a trusted registry, a
 * user-defined network, and no host namespace, device, sensitive mount or engine socket.
 */
export class HardenedContainer extends pulumi.ComponentResource {
    /** The underlying container. */
    readonly container: docker.Container;
    /**
     * The command that installs the container's own AppArmor profile, loads it and checks it is
     * enforced (CIS 5.2), when `args.appArmor` is given; the container is created after it.
     */
    readonly appArmor?: command.remote.Command;
    /** The command that applies and checks the PIDs limit (CIS 5.29). */
    readonly pidsLimit: command.remote.Command | command.local.Command;
    /** The container's id on the engine. */
    readonly containerId: pulumi.Output<string>;
    /** The container's name on the engine. */
    readonly containerName: pulumi.Output<string>;
    /** The validated settings, defaults filled in (no secrets: env values are not in it). */
    readonly plan: ContainerPlan;

    constructor(name: string, args: HardenedContainerArgs, opts?: pulumi.ComponentResourceOptions) {
        super(TOKENS.container, name, {}, opts);
        let plan: ContainerPlan;
        try {
            plan = validateContainerArgs(args);
        } catch (e) {
            throw asResourceError(e, name, this);
        }
        this.plan = plan;
        if (plan.appArmor !== undefined) {
            try {
                // One run of the program: its stack resource (none under unit-test mocks: one scope).
                const scope = pulumi.runtime.getStackResource() ?? NO_STACK;
                claimAppArmorProfiles(
                    scope,
                    [args.host, args.host.connection],
                    [
                        { profile: plan.appArmor.name, argument: "args.appArmor.name" },
                        ...(plan.appArmor.alsoDeclares ?? []).map((profile) => ({
                            profile,
                            argument: "args.appArmor.profile",
                        })),
                    ],
                    { container: this, name },
                );
            } catch (e) {
                throw asResourceError(e, name, this);
            }
        }

        const image = pulumi.output(args.image).apply((ref) => {
            try {
                return validateImage(ref, args.trustedRegistries, plan.waivers.imageTag);
            } catch (e) {
                throw asResourceError(e, name, this);
            }
        });
        const hostAddresses = plan.ports.map((p) =>
            pulumi.output(args.ports?.[p.index]?.hostAddress ?? CONTAINER_DEFAULTS.hostAddress).apply((address) => {
                try {
                    return validateHostAddress(
                        `args.ports[${p.index}].hostAddress`,
                        address,
                        plan.waivers.allInterfaces,
                    );
                } catch (e) {
                    throw asResourceError(e, name, this);
                }
            }),
        );
        const env = args.env ?? {};
        const containerArgs = renderContainerArgs(plan, {
            image,
            network: args.network,
            hostAddresses,
            volumeNames: plan.volumes.map((v) => args.volumes![v.index].volumeName),
            envs: plan.env.map((key) => pulumi.interpolate`${key}=${env[key]}`),
            command: args.command,
            containerName: args.containerName,
        });

        let containerOpts: pulumi.CustomResourceOptions = { parent: this };
        const profile = plan.appArmor;
        if (profile !== undefined) {
            // The profile travels on stdin; re-run when it changes (the same name is loaded again),
            // removed from the host when the component is deleted, after its container.
            this.appArmor = withoutPromiseStacks(
                () =>
                    new command.remote.Command(
                        `${name}-apparmor`,
                        {
                            connection: args.host.connection!,
                            create: RUN_AS_ROOT,
                            stdin: renderAppArmorLoadScript(profile),
                            delete: renderAppArmorUnloadCommand(profile),
                            // A new name is a new profile: the old one is unloaded and removed.
                            triggers: [profile.name],
                            addPreviousOutputInEnv: false,
                        },
                        { parent: this },
                    ),
            );
            // The profile's digest is a label: a changed profile recreates the container.
            containerOpts = { parent: this, dependsOn: [this.appArmor], replaceOnChanges: ["labels"] };
        }
        this.container = withoutPromiseStacks(() => new docker.Container(name, containerArgs, containerOpts));
        this.containerId = this.container.id;
        this.containerName = this.container.name;

        const script = renderPidsLimitScript(plan.pidsLimit, args.host.connection !== undefined ? "ssh" : "local");
        const commandArgs = {
            create: script,
            stdin: this.container.id,
            // A replaced container has a new id: the limit is applied to it again.
            triggers: [this.container.id],
            // Nothing but the script and the id travels: no environment over SSH (AcceptEnv).
            addPreviousOutputInEnv: false,
        };
        const commandOpts = { parent: this, dependsOn: [this.container] };
        const connection = args.host.connection;
        const dockerHost = args.host.dockerHost;
        this.pidsLimit = withoutPromiseStacks(() =>
            connection !== undefined
                ? new command.remote.Command(`${name}-pids-limit`, { ...commandArgs, connection }, commandOpts)
                : new command.local.Command(
                      `${name}-pids-limit`,
                      {
                          ...commandArgs,
                          environment: pulumi.output(dockerHost!).apply((h) => ({ DOCKER_HOST: h })),
                      },
                      commandOpts,
                  ),
        );

        this.registerOutputs({ containerId: this.containerId, containerName: this.containerName });
    }
}

function asResourceError(e: unknown, name: string, resource: pulumi.Resource): Error {
    if (e instanceof ArgumentError) {
        return new pulumi.ResourceError(`HardenedContainer "${name}": ${e.message}`, resource);
    }
    return e as Error;
}
