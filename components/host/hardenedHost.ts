import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as ipaddr from "ipaddr.js";
import { ArgumentError, waiverReason } from "../common/errors";
import { TOKENS } from "../common/tokens";
import type { HardenedHostArgs } from "./args";
import { renderAccounts, validateAccountsArgs, type AccountsPlan } from "./accounts";
import { renderAudit, validateAuditArgs } from "./audit";
import { createAwsHost, type AwsHost, type IngressPort } from "./aws";
import { runSteps, type StepRun } from "./commands";
import { renderDataVolume, validateDataRoot, validateDataVolumeArgs, type DataVolumeArgs } from "./dataVolume";
import { renderDockerGroup, validateDockerGroupArgs } from "./dockerGroup";
import { renderEngine, validateEngineArgs } from "./engine";
import { renderHygiene, validateHygieneArgs, type HygienePlan } from "./hygiene";
import { renderFirewall, renderFirewallConfirm, validateFirewallArgs, type FirewallPlan } from "./firewall";
import { renderKernel, validateKernelArgs } from "./kernel";
import { renderLogging, validateLoggingArgs } from "./logging";
import { renderMinimal, validateMinimalArgs } from "./minimal";
import { stepHash } from "./shell";
import { renderSsh, validateSshArgs } from "./ssh";
import type { HostContext, HostStep } from "./step";
import { validateNoDockerApiPorts, validateSshPort, validateTarget, type TargetPlan } from "./validateTarget";
import { withoutPromiseStacks } from "../common/promiseStacks";

/** Seconds a freshly started instance may take before its sshd answers. */
const SSH_WAIT_SECONDS = 600;

/** The steps, in the order they run. Each later step may rely on the earlier ones. */
export const STEP_ORDER = Object.freeze([
    "kernel",
    "minimal",
    "accounts",
    "docker-group",
    "data-volume",
    "engine",
    "audit",
    "logging",
    "ssh",
    "hygiene",
    "firewall",
    "firewall-confirm",
]);

/** Everything validated, defaults filled in: what the component will do, before it does anything. */
export interface HostPlan {
    target: TargetPlan;
    ctx: HostContext;
    firewall: FirewallPlan;
    /** The rendered steps that do not depend on cloud resources, by id. */
    steps: HostStep[];
    /** The data volume's arguments (rendered once the device is known). */
    dataVolume: Omit<DataVolumeArgs, "device">;
    /** Who keeps a login (besides root), and whether unlisted accounts are removed. */
    accounts: AccountsPlan;
    /** The file modes, core dump and login shell settings the hygiene step keeps. */
    hygiene: HygienePlan;
    /** Exactly who the docker-group step keeps in the docker group (the deployment user included). */
    dockerGroupMembers: string[];
    noRemoteLoggingReason?: string;
}

/** Validates every argument and renders every step that can be rendered now. Throws ArgumentError. */
export function planHost(args: HardenedHostArgs): HostPlan {
    if (args === undefined || args === null) {
        throw new ArgumentError("args", "are required: target and firewall.adminCidrs");
    }
    const target = validateTarget(args.target);
    const ctx: HostContext = {
        connectionUser: target.user,
        sshPort: validateSshPort(args.sshPort),
        dataRoot: validateDataRoot(args.dataRoot ?? "/var/lib/docker"),
    };
    const firewall = validateFirewallArgs(args.firewall, ctx);
    validateNoDockerApiPorts(args.firewall);
    const noRemoteLoggingReason = waiverReason("args.waivers.noRemoteLogging", args.waivers?.noRemoteLogging);
    if (args.logging === undefined && noRemoteLoggingReason === undefined) {
        throw new ArgumentError(
            "args.logging",
            "is required: a central syslog endpoint, or give waivers.noRemoteLogging",
        );
    }
    const dataVolume = args.dataVolume ?? {};
    // Check the data volume's own settings now, with a stand-in device, so a mistake fails at preview.
    validateDataVolumeArgs({ ...dataVolume, device: { path: "/dev/null" } }, ctx);

    // The deployment user is trusted by definition (it has root through sudo), and the Docker
    // provider's ssh:// endpoint runs `docker system dial-stdio` as that user, without sudo.
    const dockerGroup = validateDockerGroupArgs(
        {
            ...args.dockerGroup,
            trustedUsers: [...new Set([...(args.dockerGroup?.trustedUsers ?? []), ctx.connectionUser])],
        },
        ctx,
    );
    const accounts = validateAccountsArgs(args.accounts, ctx);
    const hygiene = validateHygieneArgs(args.hygiene, ctx);
    const steps: HostStep[] = [
        renderKernel(validateKernelArgs(args.kernel, ctx), ctx),
        renderMinimal(validateMinimalArgs(args.minimal, ctx), ctx),
        renderAccounts(accounts, ctx),
        renderDockerGroup(dockerGroup, ctx),
        renderEngine(validateEngineArgs(args.engine, ctx), ctx),
        renderAudit(validateAuditArgs(args.audit, ctx), ctx),
        ...(args.logging === undefined ? [] : [renderLogging(validateLoggingArgs(args.logging, ctx), ctx)]),
        renderSsh(validateSshArgs(args.ssh, ctx), ctx),
        renderHygiene(hygiene, ctx),
        renderFirewall(firewall, ctx),
        renderFirewallConfirm(firewall, ctx),
    ];
    return {
        target,
        ctx,
        firewall,
        steps,
        dataVolume,
        accounts,
        hygiene,
        dockerGroupMembers: dockerGroup.trustedUsers,
        noRemoteLoggingReason,
    };
}

/**
 * A Docker host hardened to the CIS Docker Benchmark, created on AWS or taken over SSH: Docker's data
 * on its own filesystem, SSH locked down, an nftables firewall that coexists with Docker's rules,
 * kernel settings, auditd rules for Docker's files, remote logging, a current engine with AppArmor,
 * and only trusted users in the docker group. Every step is a script run as root over SSH, re-run
 * only when its rendered text changes.
 */
export class HardenedHost extends pulumi.ComponentResource {
    /** The address the steps and the Docker endpoint use. */
    readonly address: pulumi.Output<string>;
    /** The SSH connection to the host (a secret: it holds the private key). */
    readonly connection: pulumi.Output<command.types.input.remote.ConnectionArgs>;
    /** `ssh://user@address:port`: the engine's endpoint for `docker.Provider` and the Docker CLI. */
    readonly dockerEndpoint: pulumi.Output<string>;
    /** A Docker provider for this host, usable once every hardening step has run. */
    readonly provider: docker.Provider;
    /** The sha256 of each step's script, by step id: what decides whether a step runs again. */
    readonly artifactHashes: pulumi.Output<Record<string, string>>;
    /** The command of each step, by step id. */
    readonly steps: Record<string, command.remote.Command>;
    /** Docker's data root on the host (pass it to DockerDaemon). */
    readonly dataRoot: string;
    /** The AWS resources, for the aws target. */
    readonly aws?: AwsHost;
    readonly plan: HostPlan;

    constructor(name: string, args: HardenedHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super(TOKENS.host, name, {}, opts);
        try {
            this.plan = planHost(args);
        } catch (e) {
            if (e instanceof ArgumentError) {
                throw new pulumi.ResourceError(`HardenedHost "${name}": ${e.message}`, this);
            }
            throw e;
        }
        const { target, ctx, firewall } = this.plan;
        this.dataRoot = ctx.dataRoot;

        let address: pulumi.Output<string>;
        let privateKey: pulumi.Input<string>;
        let hostKey: pulumi.Input<string> | undefined;
        let device: pulumi.Output<DataVolumeArgs["device"]>;
        let ready: pulumi.Resource[] = [];
        if (args.target.kind === "aws") {
            const ports: IngressPort[] = [...firewall.hostPorts, ...firewall.publishedPorts].map((p) => ({
                port: p.port,
                protocol: p.protocol,
                ipv4: p.sources.v4,
                ipv6: p.sources.v6,
                description: `${p.protocol}/${p.port} from its listed sources`,
            }));
            const awsTarget = args.target;
            this.aws = withoutPromiseStacks(() =>
                createAwsHost(name, awsTarget, target, ctx.sshPort, firewall.adminCidrs, ports, this),
            );
            address = this.aws.address;
            privateKey = args.target.privateKey;
            device = this.aws.dataVolume.id.apply((id) => ({ awsVolumeId: id }));
            const { instance, attachment } = this.aws;
            const sshAddress = address;
            const waitForSsh = withoutPromiseStacks(
                () =>
                    new command.local.Command(
                        `${name}-wait-ssh`,
                        {
                            create: waitForPortScript(SSH_WAIT_SECONDS),
                            environment: { HD_HOST: sshAddress, HD_PORT: String(ctx.sshPort) },
                            triggers: [instance.id],
                            addPreviousOutputInEnv: false,
                        },
                        { parent: this, dependsOn: [attachment] },
                    ),
            );
            ready = [waitForSsh, this.aws.attachment];
        } else {
            address = pulumi.output(args.target.address);
            privateKey = args.target.privateKey;
            hostKey = args.target.hostKey;
            device = pulumi.output({ path: target.dataDevice! });
        }
        this.address = address;
        // Where the steps and the Docker endpoint connect: sshd's port unless a forward sits in front.
        const connectPort = target.port ?? ctx.sshPort;

        this.connection = pulumi.secret(
            pulumi.all([address, privateKey, hostKey]).apply(([host, key, pinned]) => ({
                host,
                port: connectPort,
                user: ctx.connectionUser,
                privateKey: key,
                ...(pinned === undefined ? {} : { hostKey: pinned }),
                dialErrorLimit: 30,
                perDialTimeout: 30,
            })),
        );

        const dataVolumeScript = device.apply((d) => {
            try {
                return renderDataVolume(validateDataVolumeArgs({ ...this.plan.dataVolume, device: d }, ctx), ctx);
            } catch (e) {
                throw e instanceof ArgumentError
                    ? new pulumi.ResourceError(`HardenedHost "${name}": ${e.message}`, this)
                    : e;
            }
        });
        const rendered = this.plan.steps;
        const at = (id: string) => rendered.find((s) => s.id === id);
        const runs: StepRun[] = [];
        for (const id of STEP_ORDER) {
            if (id === "data-volume") {
                runs.push({ id, script: dataVolumeScript.apply((s) => s.script), secret: false });
                continue;
            }
            const step = at(id);
            if (step !== undefined) {
                runs.push({ id, script: step.script, secret: step.secret });
            }
        }
        const commands = runSteps(name, runs, this.connection, this, ready);
        this.steps = Object.fromEntries(runs.map((r, i) => [r.id, commands[i]]));

        this.artifactHashes = dataVolumeScript.apply((dv) => {
            const out: Record<string, string> = {};
            for (const s of [...rendered, dv].sort((a, b) => STEP_ORDER.indexOf(a.id) - STEP_ORDER.indexOf(b.id))) {
                out[s.id] = stepHash(s);
            }
            return out;
        });
        // An IPv6 address goes in brackets in the URI, or the port cannot be told from it.
        const uriHost = address.apply((a) => (ipaddr.IPv6.isValid(a) ? `[${a}]` : a));
        this.dockerEndpoint = pulumi.interpolate`ssh://${ctx.connectionUser}@${uriHost}:${connectPort}`;
        const endpoint = this.dockerEndpoint;
        this.provider = withoutPromiseStacks(
            () =>
                new docker.Provider(
                    `${name}-docker`,
                    {
                        host: endpoint,
                        // The ssh binary must not prompt: no passwords, and a host key it has not seen
                        // is recorded on first use (a new instance's key cannot be known in advance); a
                        // changed key is still refused.
                        sshOpts: ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new"],
                    },
                    { parent: this, dependsOn: commands.slice(-1) },
                ),
        );
        this.registerOutputs({
            address: this.address,
            dockerEndpoint: this.dockerEndpoint,
            artifactHashes: this.artifactHashes,
        });
    }
}

/**
 * A POSIX sh script, run where `pulumi up` runs, that waits until HD_HOST:HD_PORT accepts TCP
 * connections (a new instance's sshd starts after the API says it is running). Uses node, which
 * every Pulumi TypeScript run has.
 */
export function waitForPortScript(seconds: number): string {
    const js = [
        "const net=require('net');",
        "const host=process.env.HD_HOST,port=Number(process.env.HD_PORT);",
        `const end=Date.now()+${seconds * 1000};`,
        "(function attempt(){",
        "const s=net.connect(port,host);s.setTimeout(5000);",
        "s.on('connect',()=>{s.destroy();process.exit(0);});",
        "const retry=()=>{s.destroy();",
        `if(Date.now()>end){console.error('hardened-docker: '+host+':'+port+' did not accept connections in ${seconds} s');process.exit(1);}`,
        "setTimeout(attempt,5000);};",
        "s.on('error',retry);s.on('timeout',retry);})();",
    ].join("");
    return `node -e "${js}"`;
}
