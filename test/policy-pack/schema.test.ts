import * as assert from "node:assert/strict";
import type * as docker from "@pulumi/docker";
import type { ContainerProps, NetworkProps, RemoteImageProps } from "../../policy-pack/lib/docker";

// The policies read resources by the provider's property names. These assignments fail to compile
// if a name the policies use is not an input of @pulumi/docker 5.2.0 (tsc --noEmit runs on tests).
const containerKeys: (keyof ContainerProps & keyof docker.ContainerArgs)[] = [
    "image",
    "user",
    "privileged",
    "readOnly",
    "capabilities",
    "securityOpts",
    "memory",
    "cpuShares",
    "cpus",
    "cpuQuota",
    "restart",
    "maxRetryCount",
    "networkMode",
    "networksAdvanced",
    "pidMode",
    "ipcMode",
    "usernsMode",
    "cgroupParent",
    "devices",
    "ports",
    "publishAllPorts",
    "volumes",
    "mounts",
    "healthcheck",
];
const networkKeys: (keyof NetworkProps & keyof docker.NetworkArgs)[] = ["driver", "internal", "options"];
const imageKeys: (keyof RemoteImageProps & keyof docker.RemoteImageArgs)[] = ["name"];

describe("policy property names", () => {
    it("cover every property the policies' types declare, each an input of @pulumi/docker 5.2.0", () => {
        const declared: Record<keyof ContainerProps, true> = {
            image: true,
            user: true,
            privileged: true,
            readOnly: true,
            capabilities: true,
            securityOpts: true,
            memory: true,
            cpuShares: true,
            cpus: true,
            cpuQuota: true,
            restart: true,
            maxRetryCount: true,
            networkMode: true,
            networksAdvanced: true,
            pidMode: true,
            ipcMode: true,
            usernsMode: true,
            cgroupParent: true,
            devices: true,
            ports: true,
            publishAllPorts: true,
            volumes: true,
            mounts: true,
            healthcheck: true,
        };
        assert.deepEqual([...containerKeys].sort(), Object.keys(declared).sort());
        assert.deepEqual(networkKeys, ["driver", "internal", "options"]);
        assert.deepEqual(imageKeys, ["name"]);
    });
});
