import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError } from "../common/errors";
import { TOKENS } from "../common/tokens";
import type { HardenedNetworkArgs } from "./args";
import { renderNetworkArgs } from "./render";
import { validateNetworkArgs, type NetworkPlan } from "./validate";
import { withoutPromiseStacks } from "../common/promiseStacks";

/**
 * A user-defined bridge network for HardenedContainers (CIS 5.30): inter-container communication
 * off unless waived, published ports bound to loopback unless an address is named, optionally
 * internal (no egress).
 */
export class HardenedNetwork extends pulumi.ComponentResource {
    readonly network: docker.Network;
    /** The network's name on the engine: pass it to HardenedContainer's `network`. */
    readonly name: pulumi.Output<string>;
    readonly networkId: pulumi.Output<string>;
    readonly plan: NetworkPlan;

    constructor(name: string, args?: HardenedNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super(TOKENS.network, name, {}, opts);
        try {
            this.plan = validateNetworkArgs(args);
        } catch (e) {
            if (e instanceof ArgumentError) {
                throw new pulumi.ResourceError(`HardenedNetwork "${name}": ${e.message}`, this);
            }
            throw e;
        }
        const networkArgs = renderNetworkArgs(this.plan);
        this.network = withoutPromiseStacks(() => new docker.Network(name, networkArgs, { parent: this }));
        this.name = this.network.name;
        this.networkId = this.network.id;
        this.registerOutputs({ name: this.name, networkId: this.networkId });
    }
}
