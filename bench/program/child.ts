/**
 * One run of the program-scale benchmark in its own process: argv[2] is the number of hosts, argv[3]
 * the containers per host. Registers the fleet (bench/fleet.ts) under Pulumi mocks that only answer
 * (an id and the inputs as state, plus what the components read back: an instance's addresses, a
 * key pair's name, the audit collector's recorded output), and prints one JSON line: resources
 * registered, the time from the first resource to the last one registered and every host's audit
 * report computed, the time to load the program's modules, and the peak memory.
 */
import * as pulumi from "@pulumi/pulumi";
import { fleetCollectorOutput } from "../lib/evidence";
import { peakRssMb } from "../lib/stats";

export interface ProgramResult {
    hosts: number;
    containersPerHost: number;
    resources: number;
    /** From the first resource to the last one registered and every host's audit report computed, in ms. */
    registerMs: number;
    /** Loading the program's modules (components, providers' SDKs), in ms. */
    loadMs: number;
    peakRssMb: number;
    /** Errors the program raised (a failing audit verdict, a rejected input): must be none. */
    errors: string[];
}

async function main(): Promise<void> {
    const hosts = Number(process.argv[2]);
    const containersPerHost = Number(process.argv[3]);
    const collector = fleetCollectorOutput();
    let resources = 0;
    let lastAt = 0;
    const errors: string[] = [];
    process.on("unhandledRejection", (e) => errors.push((e instanceof Error ? e.message : String(e)).slice(-400)));
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                resources += 1;
                lastAt = performance.now();
                const state = args.inputs as Record<string, unknown>;
                switch (args.type) {
                    case "aws:ec2/instance:Instance":
                        return {
                            id: `i-${resources}`,
                            state: { ...state, privateIp: "10.0.1.23", publicIp: "198.51.100.23" },
                        };
                    case "aws:ebs/volume:Volume":
                        return { id: `vol-${resources.toString(16).padStart(17, "0")}`, state };
                    case "aws:ec2/keyPair:KeyPair":
                        return { id: args.name, state: { ...state, keyName: args.name } };
                    case "command:remote:Command":
                        return {
                            id: args.name,
                            state: {
                                ...state,
                                stdout: args.name.endsWith("-compliance-collect") ? collector : "",
                                stderr: "",
                            },
                        };
                    default:
                        return { id: `${args.name}-id`, state: { ...state, name: state.name ?? args.name } };
                }
            },
            call: (args) =>
                args.token === "aws:ec2/getAmi:getAmi"
                    ? { ...args.inputs, id: "ami-0123456789abcdef0", name: "debian-12-amd64-20261101-1000" }
                    : args.inputs,
        },
        "hardened-docker",
        "bench",
        false,
    );
    const loadStart = performance.now();
    const { deployFleet } = await import("../fleet");
    const loadMs = performance.now() - loadStart;
    const start = performance.now();
    const reports = deployFleet({
        hosts,
        containersPerHost,
        privateKey: pulumi.secret("-----BEGIN OPENSSH PRIVATE KEY-----\nbench\n"),
    });
    // The audits' reports are the last outputs the program computes (after every resource of their host).
    let reportsAt = 0;
    const reported = Promise.all(reports.map((o) => new Promise<void>((resolve) => o.apply(() => resolve())))).then(
        () => (reportsAt = performance.now()),
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    // A resource that waits for another's outputs registers after the RPCs in flight settle: wait
    // until the count stops growing, then take the time of the last registration.
    for (let seen = -1; seen !== resources;) {
        seen = resources;
        await settings.waitForRPCs();
        await new Promise((r) => setTimeout(r, 100));
    }
    await reported;
    const registerMs = Math.max(lastAt, reportsAt) - start;
    const result: ProgramResult = {
        hosts,
        containersPerHost,
        resources,
        registerMs,
        loadMs,
        peakRssMb: peakRssMb(),
        errors,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
});
