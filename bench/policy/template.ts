/**
 * Writes the policy benchmark's stack template (see lib/syntheticStack.ts) to the file named by
 * argv[2]: one fleet host and the insecure example, registered under the test suite's mocks, in
 * the form the engine sends to the analyzer; prints the counts. Run in its own process (the SDK keeps
 * one mock set).
 */
import { writeFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { allRegistrations, asAnalyzerInputs, installMocks, setCommandStdout, settle } from "../../test/harness/mocks";
import { fleetCollectorOutput } from "../lib/evidence";
import type { StackTemplate } from "../lib/syntheticStack";

async function main(): Promise<void> {
    installMocks();
    setCommandStdout("h000-compliance-collect", fleetCollectorOutput());
    const { deployFleetHost } = await import("../fleet");
    const { deployInsecure } = await import("../../examples/insecure/stack");
    deployFleetHost(0, 10, pulumi.secret("-----BEGIN OPENSSH PRIVATE KEY-----\nbench\n"));
    await settle();
    const fleet = allRegistrations().slice();
    deployInsecure();
    await settle();
    const insecure = allRegistrations().slice(fleet.length);
    const template: StackTemplate = {
        fleet: { inputs: asAnalyzerInputs(fleet, "inputs"), outputs: asAnalyzerInputs(fleet, "outputs") },
        insecure: { inputs: asAnalyzerInputs(insecure, "inputs"), outputs: asAnalyzerInputs(insecure, "outputs") },
    };
    writeFileSync(process.argv[2], JSON.stringify(template));
    process.stdout.write(`${JSON.stringify({ fleet: fleet.length, insecure: insecure.length })}\n`);
}

main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
});
