import * as ipaddr from "ipaddr.js";
import { ArgumentError, waiverReason } from "../common/errors";
import { validateLabels } from "../common/labels";
import type { HardenedNetworkArgs } from "./args";
import { NETWORK_DEFAULTS } from "./defaults";

export interface NetworkPlan {
    internal: boolean;
    enableIcc: boolean;
    subnet?: string;
    defaultBindAddress: string;
    networkName?: string;
    labels: Record<string, string>;
    waivers: Record<string, string>;
}

/** Validates HardenedNetwork's arguments and fills in the defaults; throws ArgumentError. */
export function validateNetworkArgs(args: HardenedNetworkArgs | undefined): NetworkPlan {
    const a = args ?? {};
    if (a.internal !== undefined && typeof a.internal !== "boolean") {
        throw new ArgumentError("args.internal", `must be true or false, got ${JSON.stringify(a.internal)}`);
    }
    let subnet: string | undefined;
    if (a.subnet !== undefined) {
        if (typeof a.subnet !== "string" || !ipaddr.isValidCIDR(a.subnet)) {
            throw new ArgumentError(
                "args.subnet",
                `must be a CIDR such as 172.30.0.0/24, got ${JSON.stringify(a.subnet)}`,
            );
        }
        const [address, prefix] = ipaddr.parseCIDR(a.subnet);
        const network = ipaddr.IPv4.isValid(address.toString())
            ? ipaddr.IPv4.networkAddressFromCIDR(a.subnet)
            : ipaddr.IPv6.networkAddressFromCIDR(a.subnet);
        if (network.toString() !== address.toString()) {
            throw new ArgumentError("args.subnet", `has host bits set; did you mean ${network.toString()}/${prefix}?`);
        }
        const max = address.kind() === "ipv4" ? 30 : 126;
        if (prefix > max) {
            throw new ArgumentError("args.subnet", `/${prefix} leaves no room for containers; use /${max} or larger`);
        }
        subnet = `${address.toString()}/${prefix}`;
    }
    const defaultBindAddress = a.defaultBindAddress ?? NETWORK_DEFAULTS.defaultBindAddress;
    if (typeof defaultBindAddress !== "string" || !ipaddr.IPv4.isValidFourPartDecimal(defaultBindAddress)) {
        // Docker's bridge driver takes only an IPv4 default binding (host_binding_ipv4).
        throw new ArgumentError(
            "args.defaultBindAddress",
            `must be an IPv4 address (Docker's host_binding_ipv4), got ${JSON.stringify(defaultBindAddress)}`,
        );
    }
    if (ipaddr.parse(defaultBindAddress).range() === "unspecified") {
        throw new ArgumentError(
            "args.defaultBindAddress",
            `is ${defaultBindAddress}, which publishes on every host address; name one address (CIS 5.14)`,
        );
    }
    if (a.networkName !== undefined && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/.test(a.networkName)) {
        throw new ArgumentError(
            "args.networkName",
            `must match [a-zA-Z0-9][a-zA-Z0-9_.-]*, got ${JSON.stringify(a.networkName)}`,
        );
    }
    if (["bridge", "host", "none", "default"].includes(a.networkName ?? "")) {
        throw new ArgumentError(
            "args.networkName",
            `must not be Docker's built-in network ${JSON.stringify(a.networkName)}`,
        );
    }
    const labels = validateLabels(a.labels);
    const waivers: Record<string, string> = {};
    for (const name of Object.keys(a.waivers ?? {})) {
        if (name !== "interContainerCommunication") {
            throw new ArgumentError(`args.waivers.${name}`, "is not a waiver; allowed: interContainerCommunication");
        }
    }
    const icc = waiverReason("args.waivers.interContainerCommunication", a.waivers?.interContainerCommunication);
    if (icc !== undefined) {
        waivers.interContainerCommunication = icc;
    }
    return {
        internal: a.internal ?? NETWORK_DEFAULTS.internal,
        enableIcc: icc !== undefined,
        subnet,
        defaultBindAddress: ipaddr.parse(defaultBindAddress).toString(),
        networkName: a.networkName,
        labels,
        waivers,
    };
}
