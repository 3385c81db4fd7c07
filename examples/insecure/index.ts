import * as pulumi from "@pulumi/pulumi";
import { deployInsecure } from "./stack";

// `pulumi preview --policy-pack ../../policy-pack --policy-pack-config ../../policy-pack/org-config.example.json`
// on this stack shows every violation. It is never to be deployed: its local commands would open the
// Docker API of the machine running Pulumi on tcp://0.0.0.0:2375, and its default security group
// would take over the account's default VPC's and open it to everything.
if (!pulumi.runtime.isDryRun()) {
    throw new Error(
        "examples/insecure only runs under pulumi preview (with the policy pack): pulumi up would open the Docker API of this machine and the default VPC's security group to everyone",
    );
}
const { agent, app, network, instance } = deployInsecure();
export const containers = [agent.name, app.name];
export const networkName = network.name;
export const hostAddress = instance.publicIp;
