import * as docker from "@pulumi/docker";

/**
 * What teams write when nobody stops them: a monitoring agent with the host's namespaces and the
 * Docker socket, a tag-pinned app on the default bridge, and a network with inter-container
 * traffic on. Each line below breaks one control the policy pack enforces.
 */
export function deployInsecure(): { agent: docker.Container; app: docker.Container; network: docker.Network } {
    const network = new docker.Network("flat-net", { driver: "bridge" });
    const image = new docker.RemoteImage("app-image", { name: "docker.io/library/nginx:latest" });

    const agent = new docker.Container("agent", {
        image: "quay.io/vendor/agent@sha256:" + "0".repeat(64),
        privileged: true, // 5.5
        networkMode: "host", // 5.10
        pidMode: "host", // 5.16
        ipcMode: "host", // 5.17
        usernsMode: "host", // 5.31
        cgroupParent: "/agent", // 5.25
        devices: [{ hostPath: "/dev/mem" }], // 5.18
        volumes: [
            { hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }, // 5.32
            { hostPath: "/etc", containerPath: "/host/etc", readOnly: true }, // 5.6
        ],
        mounts: [{ type: "bind", source: "/srv/agent", target: "/state", bindOptions: { propagation: "rshared" } }], // 5.20
        securityOpts: ["apparmor=unconfined", "seccomp=unconfined", "label=disable"], // 5.2, 5.22, 5.3 (and no 5.26)
        capabilities: { adds: ["SYS_ADMIN"] }, // 5.4 (nothing dropped, SYS_ADMIN added)
        restart: "always", // 5.15
        user: "root", // 4.1
    });

    const app = new docker.Container("app", {
        image: image.repoDigest.apply(() => "docker.io/library/nginx:latest"), // 5.28: a tag
        ports: [{ internal: 80, external: 80 }], // 5.8, 5.14
        memory: 512,
        cpuShares: 512,
        readOnly: true,
        user: "101",
        securityOpts: ["no-new-privileges:true"],
        capabilities: { drops: ["ALL"] },
        healthcheck: { tests: ["CMD", "curl", "-f", "http://localhost/"], interval: "10m" }, // 5.27
        restart: "on-failure",
        maxRetryCount: 3,
        // no networkMode: the default bridge (5.30)
    });
    return { agent, app, network };
}
