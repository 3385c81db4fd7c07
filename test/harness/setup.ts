// Loaded by mocha before any spec (see .mocharc.json): the one mock set, and the shared policy
// pack process stopped at the end.
import { installMocks } from "./mocks";
import { stopPolicyPack } from "./policyPack";

installMocks();

export const mochaHooks = {
    async afterAll(): Promise<void> {
        await stopPolicyPack();
    },
};
