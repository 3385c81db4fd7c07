import type {
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { findWaiver, WAIVERS_SCHEMA } from "./waivers";

/** The benchmark every policy's CIS id refers to. */
export const CIS_FRAMEWORK = Object.freeze({
    name: "CIS Docker Benchmark",
    version: "1.6.0",
    specification: "https://www.cisecurity.org/benchmark/docker",
});

/**
 * The benchmark the AWS policies refer to: they protect the Docker host's cloud side, which the
 * Docker benchmark leaves to the platform's own benchmark.
 */
export const CIS_AWS_FRAMEWORK = Object.freeze({
    name: "CIS Amazon Web Services Foundations Benchmark",
    version: "3.0.0",
    specification: "https://www.cisecurity.org/benchmark/amazon_web_services",
});

/** The frameworks a policy's `cis` id can refer to. */
export const FRAMEWORKS = Object.freeze({ docker: CIS_FRAMEWORK, aws: CIS_AWS_FRAMEWORK });

/** Pulumi type tokens of the resources the policies read. */
export const TYPES = Object.freeze({
    container: "docker:index/container:Container",
    network: "docker:index/network:Network",
    remoteImage: "docker:index/remoteImage:RemoteImage",
    image: "docker:index/image:Image",
    dockerProvider: "pulumi:providers:docker",
    remoteCommand: "command:remote:Command",
    localCommand: "command:local:Command",
    awsInstance: "aws:ec2/instance:Instance",
    awsSpotInstanceRequest: "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
    awsLaunchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    awsEbsVolume: "aws:ebs/volume:Volume",
    awsVolumeAttachment: "aws:ec2/volumeAttachment:VolumeAttachment",
    awsSecurityGroup: "aws:ec2/securityGroup:SecurityGroup",
    awsDefaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    awsSecurityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    awsIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    hardenedHost: "hardened-docker:host:HardenedHost",
    dockerDaemon: "hardened-docker:daemon:DockerDaemon",
});

/** What every policy of the pack declares, besides its check. */
export interface PolicyMeta {
    /** `docker-<resource>-<verb>-<object>`. */
    name: string;
    /** One sentence. */
    description: string;
    /**
     * The control it enforces, in its benchmark: a CIS Docker Benchmark v1.6.0 id (`5.4`, or a
     * section such as `2` for a policy that guards the whole section), or with `benchmark: "aws"`
     * a CIS AWS Foundations Benchmark v3.0.0 id.
     */
    cis: string;
    /**
     * The benchmark `cis` refers to.
     * @default "docker"
     */
    benchmark?: keyof typeof FRAMEWORKS;
    severity: Severity;
    /** Critical and high ones default to mandatory. */
    enforcementLevel: EnforcementLevel;
    /** What to change to comply. */
    remediation: string;
    /** Settings besides `waivers`, with their defaults in the schema. */
    config?: Record<string, PolicyConfigJSONSchema>;
}

/**
 * One branch of a check: returns the violation's sentence, or undefined when the branch holds. A
 * branch that reads a value unknown during preview is skipped: unknown is not a violation.
 */
export type Branch<P, C> = (props: P, config: C) => string | string[] | undefined;

/** Pack-wide metadata of a policy, readable by tests and the catalogue without the SDK wrapper. */
export interface HardenedPolicy {
    meta: PolicyMeta;
    policy: ResourceValidationPolicy | StackValidationPolicy;
    /** The one resource type a resource policy checks; undefined for a stack policy. */
    resourceType?: string;
    /**
     * The rule this policy belongs to: the name of its first policy. A rule over several resource
     * types is one policy per type (see `resourcePolicyByType`), all sharing the rule's metadata
     * but their names; a policy of a rule over one type has its own name here.
     */
    rule: string;
}

function isUnknownValueError(e: unknown): boolean {
    return e instanceof Error && e.constructor.name === "UnknownValueError";
}

/** Runs the branches; collects their sentences; skips a branch that meets an unknown value. */
export function runBranches<P, C>(branches: Branch<P, C>[], props: P, config: C): string[] {
    const out: string[] = [];
    for (const branch of branches) {
        try {
            const r = branch(props, config);
            if (typeof r === "string") {
                out.push(r);
            } else if (Array.isArray(r)) {
                out.push(...r);
            }
        } catch (e) {
            if (!isUnknownValueError(e)) {
                throw e;
            }
        }
    }
    return out;
}

/** The config a policy sees: each setting's schema default, overridden by what the org set. */
export function configWithDefaults<C>(meta: PolicyMeta, given: Record<string, unknown>): C & { waivers: unknown } {
    const out: Record<string, unknown> = { waivers: [] };
    for (const [key, schema] of Object.entries(meta.config ?? {})) {
        if (schema.default !== undefined) {
            out[key] = schema.default;
        }
    }
    for (const [key, value] of Object.entries(given ?? {})) {
        if (value !== undefined) {
            out[key] = value;
        }
    }
    return out as C & { waivers: unknown };
}

function sdkFields(meta: PolicyMeta) {
    return {
        name: meta.name,
        description: meta.description,
        enforcementLevel: meta.enforcementLevel,
        configSchema: {
            properties: { waivers: WAIVERS_SCHEMA, ...(meta.config ?? {}) },
        },
        severity: meta.severity,
        framework: { ...FRAMEWORKS[meta.benchmark ?? "docker"], reference: meta.cis },
        tags: policyTags(meta),
        remediationSteps: meta.remediation,
    };
}

/** The tags a policy carries: its benchmark, control and section (`aws-` prefixed for AWS ids). */
export function policyTags(meta: PolicyMeta): string[] {
    const section = meta.cis.split(".")[0];
    if ((meta.benchmark ?? "docker") === "aws") {
        return ["cis-aws-3.0.0", `cis-aws-${meta.cis}`, `section-aws-${section}`];
    }
    return ["cis-docker-1.6.0", `cis-${meta.cis}`, `section-${section}`];
}

/** Formats one violation: the sentence, then the fix. */
function sentence(message: string, meta: PolicyMeta, ignored?: string): string {
    const suffix = ignored === undefined ? "" : ` (${ignored}, so it does not apply)`;
    return `${message}${suffix} Fix: ${meta.remediation}`;
}

/**
 * A policy over resources of one type: the branches run on each such resource that no waiver
 * covers. One type, so that the policy server skips every other type before it deserializes the
 * resource's properties for the policy, which is most of a policy's cost per resource (bench/policy).
 * A rule over several types is one policy per type: `resourcePolicyByType` (branches.ts).
 */
export function resourcePolicy<P, C = Record<string, unknown>>(
    meta: PolicyMeta,
    type: string,
    branches: Branch<P, C>[],
    rule: string = meta.name,
): HardenedPolicy {
    const validate = (
        args: { type: string; props: unknown; name: string; urn: string; getConfig<T extends object>(): T },
        report: ReportViolation,
    ) => {
        if (args.type !== type) {
            return;
        }
        const config = configWithDefaults<C>(meta, args.getConfig<Record<string, unknown>>());
        const messages = runBranches(branches, args.props as P, config);
        if (messages.length === 0) {
            return;
        }
        const waiver = findWaiver(config.waivers, args.name, args.urn);
        if (waiver.status === "waived") {
            return;
        }
        for (const m of messages) {
            report(sentence(m, meta, waiver.status === "ignored" ? waiver.why : undefined));
        }
    };
    // What validateResourceOfType sets: the server skips other types without calling the policy.
    (validate as unknown as { __pulumiType: string }).__pulumiType = type;
    return { meta, policy: { ...sdkFields(meta), validateResource: validate }, resourceType: type, rule };
}

/** A violation found by a stack policy, on one resource. */
export interface StackFinding {
    resource: PolicyResource;
    message: string;
}

/** A policy over the whole stack; findings are filtered through the waivers per resource. */
export function stackPolicy<C = Record<string, unknown>>(
    meta: PolicyMeta,
    check: (resources: PolicyResource[], config: C) => StackFinding[],
): HardenedPolicy {
    const validateStack = (
        args: { resources: PolicyResource[]; getConfig<T extends object>(): T },
        report: ReportViolation,
    ) => {
        const config = configWithDefaults<C>(meta, args.getConfig<Record<string, unknown>>());
        for (const f of check(args.resources, config)) {
            const waiver = findWaiver(config.waivers, f.resource.name, f.resource.urn);
            if (waiver.status !== "waived") {
                report(sentence(f.message, meta, waiver.status === "ignored" ? waiver.why : undefined), f.resource.urn);
            }
        }
    };
    return { meta, policy: { ...sdkFields(meta), validateStack }, rule: meta.name };
}

/** Reads a value, or undefined when it is unknown during preview. */
export function known<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (e) {
        if (isUnknownValueError(e)) {
            return undefined;
        }
        throw e;
    }
}
