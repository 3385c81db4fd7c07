/**
 * Records the compliance audit's evidence from the running sandbox as a test fixture:
 * `npx ts-node --transpile-only test/e2e/recordAudit.ts <name>` writes
 * test/components/compliance/fixtures/<name>.json (the collector's sections, decoded). Run it on a
 * sandbox the end-to-end run hardened and kept (HD_E2E_KEEP=1).
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { decodeCollectorOutput, renderCollector } from "../../components/compliance";
import { parseSysctlFile } from "../../components/compliance/validate";
import { renderKernel, validateKernelArgs } from "../../components/host/kernel";
import { Sandbox } from "./lib/sandbox";

async function main(): Promise<void> {
    const name = process.argv[2];
    if (name === undefined || !/^[a-z0-9-]+$/.test(name)) {
        throw new Error("usage: recordAudit.ts <fixture-name>");
    }
    const sb = Sandbox.attach();
    const ctx = { connectionUser: sb.info.user, sshPort: 22, dataRoot: "/var/lib/docker" };
    const kernel = renderKernel(validateKernelArgs(undefined, ctx), ctx);
    const script = renderCollector({
        dataRoot: ctx.dataRoot,
        sshUser: sb.info.user,
        sysctlKeys: Object.keys(parseSysctlFile(kernel.files[0].content)),
    });
    const started = Date.now();
    const out = await sb.sudoOk("bash -s", script);
    const raw = decodeCollectorOutput(out.replace(/\n$/, ""));
    const file = path.join(__dirname, "../components/compliance/fixtures", `${name}.json`);
    writeFileSync(file, `${JSON.stringify(raw, null, 2)}\n`);
    process.stdout.write(
        `recorded ${Object.keys(raw).length} sections (${out.length} bytes of output) in ${Date.now() - started} ms to ${file}\n`,
    );
}

main().catch((e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
});
