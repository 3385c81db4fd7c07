/** Compliant resources in wire form, as the engine sends them; each violation test changes one field. */
import { prelude } from "../../components/host/shell";
import * as assert from "node:assert/strict";
import type { HardenedPolicy } from "../../policy-pack/lib/policy";
import { ALL_POLICIES } from "../../policy-pack/policies";
import { urnOf, type AnalyzerInput, type Diagnostic } from "../harness/policyPack";

/** A policy's metadata by name; fails the test for a name the pack does not have. */
export function meta(name: string): HardenedPolicy["meta"] {
    const p = ALL_POLICIES.find((x) => x.meta.name === name);
    assert.ok(p, `no policy ${name}`);
    return p.meta;
}

/** The diagnostic the CLI shows: the policy's description, then the sentence and its fix. */
export function expected(name: string, sentence: string, urn = ""): Diagnostic {
    const m = meta(name);
    return {
        policyName: name,
        message: `${m.description}\n${sentence} Fix: ${m.remediation}`,
        urn,
        enforcementLevel: m.enforcementLevel === "remediate" ? "mandatory" : m.enforcementLevel,
    };
}

export const CONTAINER = "docker:index/container:Container";
export const NETWORK = "docker:index/network:Network";
export const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";
export const REMOTE_COMMAND = "command:remote:Command";

export const DIGEST = `sha256:${"ab".repeat(32)}`;

export function compliantContainer(): Record<string, unknown> {
    return {
        image: `ghcr.io/acme/api@${DIGEST}`,
        user: "10001:10001",
        privileged: false,
        readOnly: true,
        capabilities: { drops: ["ALL"], adds: ["NET_BIND_SERVICE"] },
        securityOpts: ["no-new-privileges:true", "apparmor=docker-default"],
        memory: 256,
        memorySwap: 256,
        cpuShares: 512,
        restart: "on-failure",
        maxRetryCount: 5,
        ipcMode: "private",
        networkMode: "app",
        ports: [{ internal: 8080, external: 8080, ip: "127.0.0.1", protocol: "tcp" }],
        tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=64m" },
        volumes: [{ volumeName: "data", containerPath: "/data", readOnly: false }],
        healthcheck: { tests: ["CMD", "/app/health"], interval: "30s", timeout: "5s", retries: 3, startPeriod: "10s" },
    };
}

export function compliantNetwork(): Record<string, unknown> {
    return {
        driver: "bridge",
        internal: false,
        options: {
            "com.docker.network.bridge.enable_icc": "false",
            "com.docker.network.bridge.host_binding_ipv4": "127.0.0.1",
        },
    };
}

export const PIDS_SCRIPT = 'set -eu\nIFS= read -r cid\n"$@" update --pids-limit 128 "$cid" >/dev/null\n';

export const HARDENED_HOST = "hardened-docker:host:HardenedHost";
export const DOCKER_PROVIDER = "pulumi:providers:docker";

/**
 * A compliant stack: a container, the command that limits its PIDs, a pinned remote image, and
 * the host they run on: a HardenedHost with its data-volume step and its Docker provider.
 */
export function compliantStack(): AnalyzerInput[] {
    const containerUrn = urnOf(CONTAINER, "api");
    const hostUrn = urnOf(HARDENED_HOST, "edge");
    const provider = {
        type: DOCKER_PROVIDER,
        name: "edge-docker",
        urn: urnOf(DOCKER_PROVIDER, "edge-docker"),
        props: { host: "ssh://admin@192.0.2.10:22" },
    };
    return [
        { type: CONTAINER, name: "api", urn: containerUrn, props: compliantContainer(), provider },
        {
            type: REMOTE_COMMAND,
            name: "api-pids-limit",
            props: { create: PIDS_SCRIPT },
            dependencies: [containerUrn],
        },
        { type: REMOTE_IMAGE, name: "base", props: { name: `docker.io/library/alpine@${DIGEST}` } },
        { type: HARDENED_HOST, name: "edge", urn: hostUrn, props: {} },
        {
            type: REMOTE_COMMAND,
            name: "edge-data-volume",
            parent: hostUrn,
            props: {
                create: "exec /bin/bash -s",
                stdin: `${prelude("data-volume")}\n`,
                connection: { host: "192.0.2.10", port: 22, user: "admin" },
            },
        },
        { ...provider, parent: hostUrn },
    ];
}
