/**
 * Writes the requests of one synthetic stack as the engine would send them over gRPC, so that the
 * process that measures a pack receives bytes, as the pack's gRPC server does, and holds nothing
 * the engine would hold. argv[2] is a JSON request { templatePath, copies, insecureEvery, dir }.
 * Writes, in dir: `analyze-all.bin` (an Analyze request per custom resource), `analyze-aws.bin`
 * (the AWS ones), each as 4-byte big-endian lengths and messages, and `stack.bin` (one
 * AnalyzeStack request with every resource); and `stack.json` with the counts, which it also prints.
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import * as path from "node:path";
import { analyzeRequest, analyzeStackRequest, type AnalyzerInput } from "../../test/harness/policyPack";
import { syntheticStack, type StackTemplate } from "../lib/syntheticStack";

export interface EncodeRequest {
    templatePath: string;
    copies: number;
    insecureEvery: number;
    dir: string;
}

export interface EncodedStack {
    copies: number;
    resources: number;
    customResources: number;
    awsResources: number;
    /** Resources of one fleet copy (for the warm-up). */
    firstCopy: number;
    bytes: { analyzeAll: number; analyzeAws: number; stack: number };
}

function writeRequests(file: string, resources: readonly AnalyzerInput[]): number {
    const fd = openSync(file, "w");
    let total = 0;
    try {
        for (const r of resources) {
            const bytes = analyzeRequest(r).serializeBinary();
            const len = Buffer.alloc(4);
            len.writeUInt32BE(bytes.length);
            writeSync(fd, len);
            writeSync(fd, bytes);
            total += 4 + bytes.length;
        }
    } finally {
        closeSync(fd);
    }
    return total;
}

function main(): void {
    const req = JSON.parse(process.argv[2]) as EncodeRequest;
    const template = JSON.parse(readFileSync(req.templatePath, "utf8")) as StackTemplate;
    const stack = syntheticStack(template, req.copies, req.insecureEvery);
    mkdirSync(req.dir, { recursive: true });
    const aws = stack.inputs.filter((r) => r.type.startsWith("aws:"));
    const analyzeAll = writeRequests(path.join(req.dir, "analyze-all.bin"), stack.inputs);
    const analyzeAws = writeRequests(path.join(req.dir, "analyze-aws.bin"), aws);
    const stackBytes = analyzeStackRequest(stack.outputs).serializeBinary();
    writeFileSync(path.join(req.dir, "stack.bin"), stackBytes);
    const out: EncodedStack = {
        copies: req.copies,
        resources: stack.outputs.length,
        customResources: stack.inputs.length,
        awsResources: aws.length,
        firstCopy: template.fleet.inputs.length + template.insecure.inputs.length,
        bytes: { analyzeAll, analyzeAws, stack: stackBytes.length },
    };
    writeFileSync(path.join(req.dir, "stack.json"), JSON.stringify(out));
    process.stdout.write(`${JSON.stringify(out)}\n`);
}

main();
