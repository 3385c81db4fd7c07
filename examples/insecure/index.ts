import { deployInsecure } from "./stack";

// `pulumi preview --policy-pack ../../policy-pack --policy-pack-config ../../policy-pack/org-config.example.json`
// on this stack shows every violation.
const { agent, app, network, instance } = deployInsecure();
export const containers = [agent.name, app.name];
export const networkName = network.name;
export const hostAddress = instance.publicIp;
