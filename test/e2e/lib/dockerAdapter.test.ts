import * as assert from "node:assert/strict";
import { HardenedContainer, HardenedNetwork } from "../../../components";
import { registration, settle } from "../../harness/mocks";
import { validArgs } from "../../components/container/validate.test";
import {
    checkMapped,
    containerCreateBody,
    durationNs,
    networkCreateBody,
    UnmappedInputError,
    volumeCreateBody,
} from "./dockerAdapter";

const CONTAINER = "docker:index/container:Container";
const NETWORK = "docker:index/network:Network";

describe("the e2e Docker adapter", () => {
    it("maps every input HardenedContainer sends into the Engine API's create body", async () => {
        new HardenedContainer("e2e-adapter", {
            ...validArgs(),
            capabilities: ["NET_BIND_SERVICE"],
            writablePaths: [{ path: "/tmp", sizeMb: 32 }],
            volumes: [{ volumeName: "data", containerPath: "/data", readOnly: true }],
            ports: [{ containerPort: 8080, hostPort: 18080, hostAddress: "10.0.2.15" }],
            env: { MODE: "prod" },
            command: ["/app/server"],
            memoryMb: 128,
            cpuShares: 256,
            maxRestarts: 3,
        });
        await settle();
        const inputs = registration(CONTAINER, "e2e-adapter").inputs;
        checkMapped(CONTAINER, inputs);
        assert.deepEqual(containerCreateBody(inputs), {
            Image: `ghcr.io/acme/api@sha256:${"c".repeat(64)}`,
            User: "10001:10001",
            Cmd: ["/app/server"],
            Env: ["MODE=prod"],
            Labels: { "io.hardened-docker.cis-benchmark": "1.6.0", "io.hardened-docker.managed": "true" },
            ExposedPorts: { "8080/tcp": {} },
            Healthcheck: { Test: ["CMD", "/app/health"], Interval: 30e9, Timeout: 5e9, Retries: 3, StartPeriod: 10e9 },
            HostConfig: {
                CapDrop: ["ALL"],
                CapAdd: ["NET_BIND_SERVICE"],
                Privileged: false,
                ReadonlyRootfs: true,
                SecurityOpt: ["no-new-privileges:true", "apparmor=docker-default"],
                RestartPolicy: { Name: "on-failure", MaximumRetryCount: 3 },
                PortBindings: { "8080/tcp": [{ HostIp: "10.0.2.15", HostPort: "18080" }] },
                Tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=32m" },
                Mounts: [{ Type: "volume", Source: "data", Target: "/data", ReadOnly: true }],
                Memory: 128 * 1024 * 1024,
                MemorySwap: 128 * 1024 * 1024,
                CpuShares: 256,
                IpcMode: "private",
                NetworkMode: "app",
            },
        });
    });

    it("maps every input HardenedNetwork sends", async () => {
        new HardenedNetwork("e2e-adapter-net", {});
        await settle();
        const inputs = registration(NETWORK, "e2e-adapter-net").inputs;
        checkMapped(NETWORK, inputs);
        const body = networkCreateBody("n1", inputs);
        assert.equal(body.Name, "n1");
        assert.equal(body.Driver, "bridge");
        assert.deepEqual(body.Options, inputs.options);
        assert.equal((body.Options as Record<string, string>)["com.docker.network.bridge.enable_icc"], "false");
    });

    it("fails loudly, by name, on an input it does not map", () => {
        assert.throws(() => checkMapped(CONTAINER, { image: "x", pidMode: "host" }), {
            name: "Error",
            message:
                "the e2e Docker adapter does not map docker:index/container:Container input pidMode; map it in test/e2e/lib/dockerAdapter.ts before using it",
        });
        assert.throws(
            () =>
                checkMapped(CONTAINER, {
                    image: "x",
                    volumes: [{ volumeName: "v", containerPath: "/v", hostPath: "/etc" }],
                }),
            (e: unknown) => e instanceof UnmappedInputError && /input volumes\[0\]\.hostPath;/.test(e.message),
        );
        assert.throws(() => checkMapped("docker:index/remoteImage:RemoteImage", { name: "x" }), {
            message: "the e2e Docker adapter does not create docker:index/remoteImage:RemoteImage",
        });
    });

    it("reads Go durations and refuses anything else", () => {
        assert.equal(durationNs("1m30s"), 90e9);
        assert.equal(durationNs("500ms"), 5e8);
        assert.throws(() => durationNs("30"), UnmappedInputError);
        assert.throws(() => durationNs("5 s"), UnmappedInputError);
    });

    it("creates volumes with their labels", () => {
        assert.deepEqual(volumeCreateBody("v1", { labels: [{ label: "a", value: "b" }] }), {
            Name: "v1",
            Driver: "local",
            DriverOpts: {},
            Labels: { a: "b" },
        });
    });
});
