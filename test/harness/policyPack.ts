/**
 * Runs the real policy pack the way the Pulumi CLI does: `policy-pack/index.ts` in its own Node
 * process (which starts @pulumi/policy's gRPC analyzer server and prints its port), then talks to
 * it over gRPC with the analyzer client from @pulumi/pulumi: GetAnalyzerInfo, Configure, Analyze
 * and AnalyzeStack. So every policy runs through the same server functions as under
 * `pulumi preview --policy-pack`, including property deserialisation, unknown values, secrets,
 * enforcement levels and config.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";

const PACK_DIR = path.resolve(__dirname, "../../policy-pack");

/** The unknown-value sentinel the engine sends during preview (see @pulumi/pulumi rpc). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A resource as the engine describes it to the analyzer. `props` is already in wire form. */
export interface AnalyzerInput {
    type: string;
    name: string;
    urn?: string;
    props: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    /** The resource's provider, as the engine names it: explicit, or the package's default one. */
    provider?: AnalyzerProvider;
}

/** A provider resource as the analyzer receives it alongside a resource. */
export interface AnalyzerProvider {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
}

function providerOf(p: AnalyzerProvider): analyzerproto.AnalyzerProviderResource {
    const out = new analyzerproto.AnalyzerProviderResource();
    out.setType(p.type);
    out.setName(p.name);
    out.setUrn(p.urn);
    out.setProperties(toStruct(p.props));
    return out;
}

/** One violation, as the CLI would show it. */
export interface Diagnostic {
    policyName: string;
    message: string;
    urn: string;
    enforcementLevel: "advisory" | "mandatory" | "disabled" | "remediate";
}

/** A policy's settings for Configure: the level plus its properties, as in a --policy-pack-config file. */
export type PackConfig = Record<string, { enforcementLevel?: Diagnostic["enforcementLevel"]; [key: string]: unknown }>;

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::hardened-docker::${type}::${name}`;
}

function toStruct(props: Record<string, unknown>): structproto.Struct {
    return structproto.Struct.fromJavaScript(props as Record<string, structproto.JavaScriptValue>);
}

function options(): analyzerproto.AnalyzerResourceOptions {
    return new analyzerproto.AnalyzerResourceOptions();
}

export class PolicyPackClient {
    private defaults?: Map<string, analyzerproto.EnforcementLevel>;

    private constructor(
        private readonly child: ChildProcess,
        private readonly client: analyzerrpc.AnalyzerClient,
    ) {}

    /** Starts the pack's process and connects; resolves when the server answers. */
    static async start(): Promise<PolicyPackClient> {
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], {
            cwd: PACK_DIR,
            stdio: ["ignore", "pipe", "pipe"],
            env: { ...process.env, TS_NODE_PROJECT: path.join(PACK_DIR, "tsconfig.json") },
        });
        let stderr = "";
        child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            const timer = setTimeout(() => reject(new Error(`policy pack did not start in 30 s: ${stderr}`)), 30000);
            child.stdout!.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /^([0-9]+)\s*$/m.exec(out);
                if (m !== null) {
                    clearTimeout(timer);
                    resolve(Number(m[1]));
                }
            });
            child.on("exit", (code) => {
                clearTimeout(timer);
                reject(new Error(`policy pack exited with ${code}: ${stderr}`));
            });
        });
        const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        return new PolicyPackClient(child, client);
    }

    stop(): void {
        this.client.close();
        this.child.kill();
    }

    /** GetAnalyzerInfo: the pack's policies as the CLI sees them. */
    info(): Promise<analyzerproto.AnalyzerInfo> {
        return new Promise((resolve, reject) =>
            this.client.getAnalyzerInfo(new emptyproto.Empty(), (err, res) => (err ? reject(err) : resolve(res!))),
        );
    }

    /**
     * Configure: replaces the whole pack config, as `--policy-pack-config` does. Like the CLI, it sends
     * an entry for every policy, with the policy's own default enforcement level unless the config
     * (or its "all" key) names one.
     */
    async configure(config: PackConfig): Promise<void> {
        this.defaults ??= new Map(
            (await this.info()).getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()]),
        );
        const req = configureRequest(this.defaults, config);
        return new Promise((resolve, reject) => this.client.configure(req, (err) => (err ? reject(err) : resolve())));
    }

    /** Analyze: resource policies on one resource's inputs. */
    analyze(r: AnalyzerInput): Promise<Diagnostic[]> {
        const req = analyzeRequest(r);
        return new Promise((resolve, reject) =>
            this.client.analyze(req, (err, res) => (err ? reject(err) : resolve(diagnostics(res!)))),
        );
    }

    /** AnalyzeStack: stack policies over every resource's outputs. */
    analyzeStack(resources: AnalyzerInput[]): Promise<Diagnostic[]> {
        const req = analyzeStackRequest(resources);
        return new Promise((resolve, reject) =>
            this.client.analyzeStack(req, (err, res) => (err ? reject(err) : resolve(diagnostics(res!)))),
        );
    }
}

/**
 * The Configure request the CLI sends for a `--policy-pack-config`: an entry for every policy (by
 * name, with its default level), at the level the config or its "all" key names, with its settings.
 */
export function configureRequest(
    defaults: ReadonlyMap<string, analyzerproto.EnforcementLevel>,
    config: PackConfig,
): analyzerproto.ConfigureAnalyzerRequest {
    const all = config.all?.enforcementLevel;
    const req = new analyzerproto.ConfigureAnalyzerRequest();
    for (const [name, level] of defaults) {
        const { enforcementLevel, ...props } = config[name] ?? {};
        const pc = new analyzerproto.PolicyConfig();
        const given = enforcementLevel ?? all;
        pc.setEnforcementlevel(given === undefined ? level : (LEVELS.indexOf(given) as analyzerproto.EnforcementLevel));
        pc.setProperties(toStruct(props));
        req.getPolicyconfigMap().set(name, pc);
    }
    return req;
}

/** The Analyze request the engine sends for one resource's inputs. */
export function analyzeRequest(r: AnalyzerInput): analyzerproto.AnalyzeRequest {
    const req = new analyzerproto.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(r.urn ?? urnOf(r.type, r.name));
    req.setProperties(toStruct(r.props));
    req.setOptions(options());
    if (r.provider !== undefined) {
        req.setProvider(providerOf(r.provider));
    }
    return req;
}

/** The AnalyzeStack request the engine sends with every resource's outputs. */
export function analyzeStackRequest(resources: readonly AnalyzerInput[]): analyzerproto.AnalyzeStackRequest {
    const req = new analyzerproto.AnalyzeStackRequest();
    req.setResourcesList(
        resources.map((r) => {
            const a = new analyzerproto.AnalyzerResource();
            a.setType(r.type);
            a.setName(r.name);
            a.setUrn(r.urn ?? urnOf(r.type, r.name));
            a.setProperties(toStruct(r.props));
            a.setOptions(options());
            a.setParent(r.parent ?? "");
            a.setDependenciesList(r.dependencies ?? []);
            if (r.provider !== undefined) {
                a.setProvider(providerOf(r.provider));
            }
            for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
                const deps = new analyzerproto.AnalyzerPropertyDependencies();
                deps.setUrnsList(urns);
                a.getPropertydependenciesMap().set(key, deps);
            }
            return a;
        }),
    );
    return req;
}

/** The diagnostics of an Analyze or AnalyzeStack response, as the CLI shows them. */
export function diagnostics(res: analyzerproto.AnalyzeResponse): Diagnostic[] {
    return res.getDiagnosticsList().map((d) => ({
        policyName: d.getPolicyname(),
        message: d.getMessage(),
        urn: d.getUrn(),
        enforcementLevel: LEVELS[d.getEnforcementlevel()],
    }));
}

let shared: Promise<PolicyPackClient> | undefined;

/** One pack process for the whole test run (the pack, like the CLI's, serves one config at a time). */
export function policyPack(): Promise<PolicyPackClient> {
    shared ??= PolicyPackClient.start();
    return shared;
}

/** Stops the shared pack process (mocha's root afterAll). */
export async function stopPolicyPack(): Promise<void> {
    if (shared !== undefined) {
        (await shared).stop();
        shared = undefined;
    }
}
