/** The registries the fleet's images come from: the org's trusted registries in the policy benchmark. */
export const FLEET_REGISTRIES = ["docker.io/nginxinc", "ghcr.io/stefanprodan"];
