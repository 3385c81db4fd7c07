import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { HardenedNetwork, validateNetworkArgs, type HardenedNetworkArgs } from "../../../components";
import { promiseOf, registration, settle } from "../../harness/mocks";

const NETWORK = "docker:index/network:Network";

describe("HardenedNetwork", () => {
    it("registers a bridge network with inter-container traffic off and loopback binding by default", async () => {
        const n = new HardenedNetwork("hn-default");
        await settle();
        const net = registration(NETWORK, "hn-default");
        assert.equal(
            net.parent,
            "urn:pulumi:test::hardened-docker::hardened-docker:network:HardenedNetwork::hn-default",
        );
        assert.deepEqual(net.inputs, {
            driver: "bridge",
            internal: false,
            attachable: false,
            ipv6: false,
            options: {
                "com.docker.network.bridge.enable_icc": "false",
                "com.docker.network.bridge.host_binding_ipv4": "127.0.0.1",
            },
            labels: [
                { label: "io.hardened-docker.cis-benchmark", value: "1.6.0" },
                { label: "io.hardened-docker.managed", value: "true" },
            ],
        });
        assert.equal(await promiseOf(n.name), "hn-default-4d5e6f7");
        assert.equal(await promiseOf(n.networkId), "hn-default-id");
    });

    it("takes an internal network, a subnet, a name, a bind address and a reasoned waiver", async () => {
        new HardenedNetwork("hn-custom", {
            internal: true,
            subnet: "172.30.8.0/24",
            defaultBindAddress: "10.0.0.5",
            networkName: "payments",
            labels: { team: "payments" },
            waivers: { interContainerCommunication: { reason: "api and worker share a queue, SEC-9" } },
        });
        await settle();
        assert.deepEqual(registration(NETWORK, "hn-custom").inputs, {
            name: "payments",
            driver: "bridge",
            internal: true,
            attachable: false,
            ipv6: false,
            ipamConfigs: [{ subnet: "172.30.8.0/24" }],
            options: {
                "com.docker.network.bridge.enable_icc": "true",
                "com.docker.network.bridge.host_binding_ipv4": "10.0.0.5",
            },
            labels: [
                { label: "io.hardened-docker.cis-benchmark", value: "1.6.0" },
                { label: "io.hardened-docker.managed", value: "true" },
                {
                    label: "io.hardened-docker.waiver.interContainerCommunication",
                    value: "api and worker share a queue, SEC-9",
                },
                { label: "team", value: "payments" },
            ],
        });
    });

    const BAD: [string, HardenedNetworkArgs, string][] = [
        [
            "a subnet that is not a CIDR",
            { subnet: "172.30.0.0" },
            'args.subnet must be a CIDR such as 172.30.0.0/24, got "172.30.0.0"',
        ],
        [
            "a subnet with host bits",
            { subnet: "172.30.0.5/24" },
            "args.subnet has host bits set; did you mean 172.30.0.0/24?",
        ],
        [
            "a subnet too small",
            { subnet: "172.30.0.0/31" },
            "args.subnet /31 leaves no room for containers; use /30 or larger",
        ],
        [
            "a bind address on every interface",
            { defaultBindAddress: "0.0.0.0" },
            "args.defaultBindAddress is 0.0.0.0, which publishes on every host address; name one address (CIS 5.14)",
        ],
        [
            "an IPv6 bind address",
            { defaultBindAddress: "::1" },
            'args.defaultBindAddress must be an IPv4 address (Docker\'s host_binding_ipv4), got "::1"',
        ],
        [
            "a bind address that is a name",
            { defaultBindAddress: "localhost" },
            'args.defaultBindAddress must be an IPv4 address (Docker\'s host_binding_ipv4), got "localhost"',
        ],
        [
            "Docker's bridge as name",
            { networkName: "bridge" },
            'args.networkName must not be Docker\'s built-in network "bridge"',
        ],
        [
            "a waiver without a reason",
            { waivers: { interContainerCommunication: { reason: "" } } },
            "args.waivers.interContainerCommunication.reason must say why, in at least 10 characters",
        ],
    ];
    for (const [title, args, message] of BAD) {
        it(`rejects ${title}`, () => {
            assert.throws(() => validateNetworkArgs(args), { name: "ArgumentError", message });
            assert.throws(
                () => new HardenedNetwork(`hn-bad-${title.replace(/\W+/g, "-")}`, args),
                (e: unknown) => e instanceof pulumi.ResourceError && e.message.endsWith(message),
            );
        });
    }
});
