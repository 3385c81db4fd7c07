import { deployInsecure } from "./stack";

// `pulumi preview --policy-pack ../../policy-pack` on this stack shows every violation.
const { agent, app, network } = deployInsecure();
export const containers = [agent.name, app.name];
export const networkName = network.name;
