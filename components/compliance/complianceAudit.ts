import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError } from "../common/errors";
import { TOKENS } from "../common/tokens";
import { RUN_AS_ROOT } from "../host/commands";
import type { ComplianceAuditArgs } from "./args";
import { decodeCollectorOutput, renderCollector } from "./collect";
import { evaluateAudit, mandatoryFailureMessage, summarizeAudit, type AuditReport } from "./evaluate";
import { planAudit, type AuditPlan } from "./validate";
import { withoutPromiseStacks } from "../common/promiseStacks";

/**
 * The on-host audit: after every other step, a read-only script collects the effective state of the
 * host (mounts, loaded audit rules, sshd's and the kernel's settings, file modes), of the running
 * daemon (`docker info`, its command line, its sockets) and of each running container (inspect data,
 * the kernel's view of its process), and one check per CIS control judges it. The report is a
 * structured document and a summary; a failing mandatory control fails `pulumi up`.
 */
export class ComplianceAudit extends pulumi.ComponentResource {
    /** The command that collects the evidence on the host. */
    readonly command: command.remote.Command;
    /** Every check's verdict and evidence. Known after the audit has run (not at preview). */
    readonly report: pulumi.Output<AuditReport>;
    /** The totals, then each failing and waived control, one per line. */
    readonly summary: pulumi.Output<string>;
    /** `pass`; fails with the failing ids when a mandatory control fails. */
    readonly verdict: pulumi.Output<string>;
    /** The stack's containers' waivers by container id (a label on a container waives nothing). */
    readonly containerWaivers: pulumi.Output<Record<string, Record<string, string>>>;
    /** The seccomp profiles the stack's containers declare, by container id (CIS 5.22). */
    readonly containerSeccomp: pulumi.Output<Record<string, string>>;
    /** The AppArmor profiles the stack's containers install, by container id (CIS 5.2). */
    readonly containerAppArmor: pulumi.Output<Record<string, { name: string; sha256: string; path: string }>>;
    /** The bash script the command runs (read-only on the host). */
    readonly script: string;
    readonly plan: AuditPlan;

    constructor(name: string, args: ComplianceAuditArgs, opts?: pulumi.ComponentResourceOptions) {
        super(TOKENS.audit, name, {}, opts);
        try {
            this.plan = planAudit(args, args?.host, args?.daemon);
        } catch (e) {
            if (e instanceof ArgumentError) {
                throw new pulumi.ResourceError(`ComplianceAudit "${name}": ${e.message}`, this);
            }
            throw e;
        }
        this.script = renderCollector(this.plan.collector);
        const containers = args.containers ?? [];
        const triggers: pulumi.Input<unknown>[] = [
            args.host?.artifactHashes ?? {},
            args.daemon?.artifactHashes ?? {},
            ...containers.map((c) => c.containerId),
            args.rerunTrigger ?? "",
        ];
        const after: pulumi.Resource[] = [
            ...(args.host === undefined ? [] : [args.host]),
            ...(args.daemon === undefined ? [] : [args.daemon]),
            ...containers,
        ];
        const script = this.script;
        this.command = withoutPromiseStacks(
            () =>
                new command.remote.Command(
                    `${name}-collect`,
                    {
                        connection: args.connection,
                        create: RUN_AS_ROOT,
                        stdin: script,
                        triggers,
                        addPreviousOutputInEnv: false,
                        // The evidence is one long line of base64: the report says what it means.
                        logging: "stderr",
                    },
                    // The evidence holds daemon.json and the containers' settings: kept encrypted in
                    // the state. The report, which names only what the checks read, stays readable.
                    { parent: this, dependsOn: after, additionalSecretOutputs: ["stdout"] },
                ),
        );
        const policy = this.plan.policy;
        // The stack's containers' own waivers, by container id: a label on a container waives nothing.
        const ids = pulumi.all(containers.map((c) => c.containerId));
        this.containerWaivers = ids.apply((ids) =>
            Object.fromEntries(ids.map((id, i) => [id, containers[i].plan.waivers])),
        );
        // The seccomp profiles they declare, by container id: each must run under exactly its own.
        this.containerSeccomp = ids.apply((ids) =>
            Object.fromEntries(
                ids.flatMap((id, i) => {
                    const json = containers[i].plan.seccompProfileJson;
                    return json === undefined ? [] : [[id, json]];
                }),
            ),
        );
        this.containerAppArmor = ids.apply((ids) =>
            Object.fromEntries(
                ids.flatMap((id, i) => {
                    const p = containers[i].plan.appArmor;
                    return p === undefined ? [] : [[id, { name: p.name, sha256: p.sha256, path: p.path }]];
                }),
            ),
        );
        const evaluated = pulumi
            .all([this.command.stdout, this.containerWaivers, this.containerSeccomp, this.containerAppArmor])
            .apply(([out, waivers, seccomp, appArmor]) => {
                try {
                    return evaluateAudit(decodeCollectorOutput(out), {
                        ...policy,
                        expectations: {
                            ...policy.expectations,
                            containerWaivers: waivers,
                            containerSeccomp: seccomp,
                            containerAppArmor: appArmor,
                        },
                    });
                } catch (e) {
                    throw new pulumi.ResourceError(`ComplianceAudit "${name}": ${(e as Error).message}`, this);
                }
            });
        this.report = pulumi.unsecret(evaluated);
        this.summary = this.report.apply(summarizeAudit);
        this.verdict = this.report.apply((r) => {
            const message = mandatoryFailureMessage(r);
            if (message !== undefined) {
                throw new pulumi.ResourceError(`ComplianceAudit "${name}": ${message}`, this);
            }
            return "pass";
        });
        this.registerOutputs({ report: this.report, summary: this.summary, verdict: this.verdict });
    }
}
