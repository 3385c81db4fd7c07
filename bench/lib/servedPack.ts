/**
 * A policy pack's gRPC service, in this process: `new PolicyPack(...)` (ours or awsguard's) runs
 * @pulumi/policy's own `serve`, which builds the analyzer's handlers (Analyze, AnalyzeStack,
 * Configure, GetAnalyzerInfo) and hands them to a gRPC server. Here the server's `addService` keeps
 * the handlers and `bindAsync` opens no port, so a benchmark calls exactly the functions the Pulumi
 * CLI reaches over gRPC, without the transport. One pack per process, as @pulumi/policy allows.
 */
import * as path from "node:path";
import type * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import type { ConfigureAnalyzerRequest } from "@pulumi/pulumi/proto/analyzer_pb";

type Handler<Req, Res> = (call: { request: Req }, callback: (err: unknown, res?: Res) => void) => void;

export interface ServedPack {
    analyze(req: analyzerproto.AnalyzeRequest): Promise<analyzerproto.AnalyzeResponse>;
    analyzeStack(req: analyzerproto.AnalyzeStackRequest): Promise<analyzerproto.AnalyzeResponse>;
    configure(req: ConfigureAnalyzerRequest): Promise<void>;
    info(): Promise<analyzerproto.AnalyzerInfo>;
}

interface Handlers {
    analyze: Handler<analyzerproto.AnalyzeRequest, analyzerproto.AnalyzeResponse>;
    analyzeStack: Handler<analyzerproto.AnalyzeStackRequest, analyzerproto.AnalyzeResponse>;
    configure: Handler<ConfigureAnalyzerRequest, unknown>;
    getAnalyzerInfo: Handler<unknown, analyzerproto.AnalyzerInfo>;
}

function call<Req, Res>(h: Handler<Req, Res>, request: Req): Promise<Res> {
    return new Promise((resolve, reject) =>
        h({ request }, (err, res) =>
            err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res!),
        ),
    );
}

/** Runs `start` (which constructs the pack) with the gRPC server of @pulumi/policy captured. */
export function servePack(start: () => void): ServedPack {
    // The grpc-js that @pulumi/policy's server.js requires, not merely the nearest one.
    const policyDir = path.dirname(require.resolve("@pulumi/policy/server"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] })) as {
        Server: { prototype: { addService: unknown; bindAsync: unknown } };
    };
    const proto = grpc.Server.prototype;
    const { addService, bindAsync } = proto;
    let handlers: Handlers | undefined;
    proto.addService = function (_service: unknown, impl: Handlers) {
        handlers = impl;
    };
    proto.bindAsync = function () {
        // No port: the handlers are called in this process.
    };
    try {
        start();
    } finally {
        proto.addService = addService;
        proto.bindAsync = bindAsync;
    }
    if (handlers === undefined) {
        throw new Error("the pack registered no analyzer service");
    }
    const h = handlers;
    return {
        analyze: (req) => call(h.analyze, req),
        analyzeStack: (req) => call(h.analyzeStack, req),
        configure: async (req) => {
            await call(h.configure, req);
        },
        info: () => call(h.getAnalyzerInfo, {}),
    };
}
