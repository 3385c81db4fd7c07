/**
 * One set of Pulumi mocks for the whole test process (the SDK keeps one; the last `setMocks` wins),
 * that records every resource the program registers exactly as the SDK sends it to the engine:
 * type, name, parent, dependencies, property dependencies and the serialised inputs (with secrets
 * and unknowns in wire form). The records feed the component tests and, unchanged, the policy pack.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AnalyzerInput } from "./policyPack";

export interface Registration {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent: string;
    /** The provider reference, `urn::id`, for custom resources with an explicit provider. */
    provider: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** Inputs as the engine receives them (wire form). */
    wireInputs: Record<string, unknown>;
    /** Inputs, deserialised (secrets unwrapped), as the mock saw them. */
    inputs: Record<string, unknown>;
    /** State the mock returned: the resource's outputs. */
    outputs: Record<string, unknown>;
    /** Outputs the engine is asked to store as secrets. */
    additionalSecretOutputs: string[];
}

const registrations: Registration[] = [];
const commandStdout = new Map<string, string>();

/** Makes the mocked command named `name` print `stdout` (a recorded output of the real command). */
export function setCommandStdout(name: string, stdout: string): void {
    commandStdout.set(name, stdout);
}
const calls: { token: string; inputs: Record<string, unknown> }[] = [];

/** Every provider function the program invoked (AMI look-ups and the like), in order. */
export function allCalls(): readonly { token: string; inputs: Record<string, unknown> }[] {
    return calls;
}
const byKey = new Map<string, Registration>();

/** Outputs a mocked provider would compute, per type. */
function mockState(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
): { id: string; state: Record<string, unknown> } {
    const id = `${name}-id`;
    switch (type) {
        case "docker:index/container:Container":
            return { id, state: { ...inputs, name: inputs.name ?? `${name}-0a1b2c3` } };
        case "docker:index/network:Network":
            return { id, state: { ...inputs, name: inputs.name ?? `${name}-4d5e6f7` } };
        case "aws:ec2/instance:Instance":
            return {
                id: "i-0123456789abcdef0",
                state: { ...inputs, availabilityZone: "eu-west-1a", privateIp: "10.0.1.23", publicIp: "198.51.100.23" },
            };
        case "aws:ebs/volume:Volume":
            return { id: "vol-0123456789abcdef0", state: inputs };
        case "aws:ec2/keyPair:KeyPair":
            return { id, state: { ...inputs, keyName: `${name}-5a6b7c8` } };
        case "command:remote:Command":
        case "command:local:Command":
            return { id, state: { ...inputs, stdout: commandStdout.get(name) ?? "", stderr: "" } };
        default:
            return { id, state: inputs };
    }
}

let installed = false;

/** Sets the mocks (once per process) and starts recording. */
export function installMocks(): void {
    if (installed) {
        return;
    }
    installed = true;
    void pulumi.runtime.setMocks(
        {
            newResource: (args: pulumi.runtime.MockResourceArgs) => {
                const { id, state } = mockState(args.type, args.name, args.inputs as Record<string, unknown>);
                const key = `${args.type}::${args.name}`;
                const pending = pendingInputs.get(key);
                if (pending !== undefined) {
                    pending.inputs = args.inputs as Record<string, unknown>;
                    pending.outputs = state;
                }
                return { id, state };
            },
            call: (args: pulumi.runtime.MockCallArgs) => {
                calls.push({ token: args.token, inputs: args.inputs as Record<string, unknown> });
                if (args.token === "aws:ec2/getAmi:getAmi") {
                    return { ...args.inputs, id: "ami-0123456789abcdef0", name: "debian-12-amd64-20261101-1000" };
                }
                return args.inputs;
            },
        },
        "hardened-docker",
        "test",
        false,
    );
    // Wrap the mock monitor's registerResource to see the request as the engine would.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): unknown };
    const monitor = settings.getMonitor() as {
        registerResource(req: RegisterRequest, cb: (err: unknown, res?: RegisterResponse) => void): Promise<void>;
    };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = async (req, cb) => {
        const key = `${req.getType()}::${req.getName()}`;
        const rec: Registration = {
            urn: "",
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            parent: req.getParent(),
            provider: req.getProvider(),
            dependencies: req.getDependenciesList(),
            propertyDependencies: Object.fromEntries(
                req
                    .getPropertydependenciesMap()
                    .toArray()
                    .map(([k, v]) => [k, v[0] as string[]]),
            ),
            wireInputs: (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
            inputs: {},
            outputs: {},
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        };
        pendingInputs.set(key, rec);
        await original(req, (err, res) => {
            if (res !== undefined) {
                rec.urn = res.getUrn();
                registrations.push(rec);
                byKey.set(rec.urn, rec);
            }
            cb(err, res);
        });
    };
}

const pendingInputs = new Map<string, Registration>();

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getCustom(): boolean;
    getParent(): string;
    getProvider(): string;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { toArray(): [string, unknown[]][] };
    getObject(): { toJavaScript(): unknown } | undefined;
    getAdditionalsecretoutputsList(): string[];
}
interface RegisterResponse {
    getUrn(): string;
}

/** Everything registered so far, in registration order. */
export function allRegistrations(): readonly Registration[] {
    return registrations;
}

/** The registrations whose name starts with the prefix (tests give each case its own prefix). */
export function registrationsUnder(prefix: string): Registration[] {
    return registrations.filter((r) => r.name === prefix || r.name.startsWith(`${prefix}-`));
}

/** The registration of one resource by type and name; throws if there is none or several. */
export function registration(type: string, name: string): Registration {
    const found = registrations.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
    }
    return found[0];
}

/** Resolves an Output's value (tests never wait inside apply). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Lets the SDK finish every registration in flight. */
export async function settle(): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const state = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs?: () => Promise<void> };
    if (state.waitForRPCs !== undefined) {
        await state.waitForRPCs();
    }
    await new Promise((r) => setTimeout(r, 10));
}

/**
 * The records as the analyzer's Analyze (inputs) and AnalyzeStack (outputs) requests carry them,
 * each with its provider: the explicit one it was registered with, or else the package's default
 * provider, which the engine creates from the stack's config (none here: empty properties).
 */
export function asAnalyzerInputs(records: readonly Registration[], use: "inputs" | "outputs"): AnalyzerInput[] {
    const byUrn = new Map(registrations.map((r) => [r.urn, r]));
    const providerOf = (r: Registration): AnalyzerInput["provider"] => {
        if (!r.custom || r.type.startsWith("pulumi:providers:")) {
            return undefined;
        }
        if (r.provider !== "") {
            const urn = r.provider.slice(0, r.provider.lastIndexOf("::"));
            const p = byUrn.get(urn);
            if (p === undefined) {
                throw new Error(`${r.name}: provider ${urn} was not registered`);
            }
            return { type: p.type, name: p.name, urn: p.urn, props: use === "inputs" ? p.wireInputs : p.outputs };
        }
        const pkg = r.type.split(":")[0];
        const name = `default_${pkg}`;
        const type = `pulumi:providers:${pkg}`;
        return { type, name, urn: `urn:pulumi:test::hardened-docker::${type}::${name}`, props: {} };
    };
    // Analyze sees custom resources; AnalyzeStack sees every resource, components included.
    return records
        .filter((r) => r.custom || use === "outputs")
        .map((r) => {
            const provider = providerOf(r);
            return {
                type: r.type,
                name: r.name,
                urn: r.urn,
                props: use === "inputs" ? r.wireInputs : r.outputs,
                parent: r.parent,
                dependencies: r.dependencies,
                propertyDependencies: r.propertyDependencies,
                ...(provider === undefined ? {} : { provider }),
            };
        });
}
