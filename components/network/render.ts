import type * as docker from "@pulumi/docker";
import { renderLabels } from "../common/labels";
import { NETWORK_DEFAULTS } from "./defaults";
import type { NetworkPlan } from "./validate";

/** Driver options that Docker's bridge driver reads (`docker network create -o`). */
export const BRIDGE_OPTIONS = Object.freeze({
    enableIcc: "com.docker.network.bridge.enable_icc",
    hostBindingIpv4: "com.docker.network.bridge.host_binding_ipv4",
});

/** The `docker.Network` arguments for a validated plan. Deterministic. */
export function renderNetworkArgs(plan: NetworkPlan): docker.NetworkArgs {
    const args: docker.NetworkArgs = {
        driver: "bridge",
        internal: plan.internal,
        attachable: false,
        ipv6: NETWORK_DEFAULTS.ipv6,
        options: {
            [BRIDGE_OPTIONS.enableIcc]: String(plan.enableIcc),
            [BRIDGE_OPTIONS.hostBindingIpv4]: plan.defaultBindAddress,
        },
        labels: renderLabels(plan.labels, plan.waivers),
    };
    if (plan.subnet !== undefined) {
        args.ipamConfigs = [{ subnet: plan.subnet }];
    }
    if (plan.networkName !== undefined) {
        args.name = plan.networkName;
    }
    return args;
}
