import * as aws from "@pulumi/aws";
import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

/** What the insecure stack creates. */
export interface InsecureStack {
    agent: docker.Container;
    app: docker.Container;
    network: docker.Network;
    instance: aws.ec2.Instance;
}

/**
 * What teams write when nobody stops them, with `@pulumi/aws`, `@pulumi/command` and
 * `@pulumi/docker` directly: an EC2 Docker host with IMDSv1, an unencrypted root, a public address
 * and no data volume, SSH open to the internet, the Docker API on plain TCP with a daemon.json
 * that undoes section 2, a monitoring agent with the host's namespaces and the Docker socket, a
 * tag-pinned app on the default bridge, and a network with inter-container traffic on. Each line
 * below breaks one control the policy pack enforces; each AWS and stack policy is broken once. The
 * same host appears as a launch template and a spot request, its group gains rule resources, and
 * the CI runner configures its own daemon by local commands, so that every policy of the pack,
 * each over its one resource type, has something to reject.
 */
export function deployInsecure(): InsecureStack {
    const sg = new aws.ec2.SecurityGroup("open-sg", {
        description: "ssh from anywhere",
        ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }], // AWS 5.2
    });
    const instance = new aws.ec2.Instance("docker-vm", {
        ami: "ami-0123456789abcdef0",
        instanceType: "t3.medium",
        vpcSecurityGroupIds: [sg.id],
        associatePublicIpAddress: true, // AWS 5.2: a public address
        metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 }, // AWS 5.6: IMDSv1
        rootBlockDevice: { encrypted: false, volumeSize: 30 }, // AWS 2.2.1
        userData: "#!/bin/sh\napt-get install -y docker.io\n", // a Docker host, and no data volume (1.1.1)
    });
    new aws.ebs.Volume("scratch", { availabilityZone: instance.availabilityZone, size: 50 }); // AWS 2.2.1: unencrypted
    // More doors into the same group: the Docker API and the swarm port, by rule resources.
    new aws.ec2.SecurityGroupRule("docker-api-open", {
        type: "ingress",
        securityGroupId: sg.id,
        protocol: "tcp",
        fromPort: 2375,
        toPort: 2375,
        cidrBlocks: ["0.0.0.0/0"], // AWS 5.2
    });
    new aws.vpc.SecurityGroupIngressRule("swarm-open", {
        securityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: 2377,
        toPort: 2377,
        cidrIpv6: "::/0", // AWS 5.3
    });
    // The VPC's default group, adopted and opened to everything.
    new aws.ec2.DefaultSecurityGroup("default-sg", {
        ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }], // AWS 5.2
    });
    // The same host as a launch template (for an autoscaling group) and as a spot request.
    new aws.ec2.LaunchTemplate("docker-template", {
        imageId: "ami-0123456789abcdef0",
        instanceType: "t3.medium",
        metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 }, // AWS 5.6
        networkInterfaces: [{ associatePublicIpAddress: "true" }], // AWS 5.2
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", volumeSize: 30 } }], // AWS 2.2.1
    });
    new aws.ec2.SpotInstanceRequest("docker-spot", {
        ami: "ami-0123456789abcdef0",
        instanceType: "t3.medium",
        associatePublicIpAddress: true, // AWS 5.2
        metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 }, // AWS 5.6
        rootBlockDevice: { encrypted: false, volumeSize: 30 }, // AWS 2.2.1
    });

    // daemon.json by hand: everything section 2 asks for, undone.
    const connection = { host: instance.publicIp, user: "admin" };
    new command.remote.Command("daemon-json", {
        connection,
        create: [
            "sudo tee /etc/docker/daemon.json >/dev/null <<'EOF'",
            JSON.stringify({
                icc: true, // 2.2
                "log-level": "debug", // 2.3
                iptables: false, // 2.4
                "insecure-registries": ["registry.internal:5000"], // 2.5
                "storage-driver": "devicemapper", // 2.6
                hosts: ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"], // 2.7
                "log-driver": "json-file", // 2.13
                "no-new-privileges": false, // 2.14
                "live-restore": false, // 2.15
                "userland-proxy": true, // 2.16
                experimental: true, // 2.18
                "cgroup-parent": "/docker-custom", // 2.10
                "storage-opts": ["dm.basesize=50G"], // 2.11
                // and no userns-remap: 2.9
            }),
            "EOF",
            "sudo systemctl restart docker",
        ].join("\n"),
    });
    // A setting changed in place, which no preview can read (section 2).
    new command.remote.Command("daemon-tweak", {
        connection,
        create: "sudo sh -c 'jq \".debug = true\" /etc/docker/daemon.json > /tmp/d.json && mv /tmp/d.json /etc/docker/daemon.json'",
    });
    // The CI runner that runs `pulumi up` configures its own daemon the same way, by local commands.
    new command.local.Command("runner-daemon-json", {
        create: [
            "sudo tee /etc/docker/daemon.json >/dev/null <<'EOF'",
            JSON.stringify({
                icc: true,
                debug: true,
                iptables: false,
                "insecure-registries": ["registry.internal:5000"],
                "storage-driver": "aufs",
                hosts: ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"],
                "cgroup-parent": "/runner",
                "storage-opts": ["overlay2.size=20G"],
                "no-new-privileges": false,
                "live-restore": false,
                "userland-proxy": true,
                experimental: true,
                // no log-driver (json-file) and no userns-remap
            }),
            "EOF",
        ].join("\n"),
    });
    new command.local.Command("runner-daemon-tweak", {
        create: "jq '.debug = true' /etc/docker/daemon.json | sudo sponge /etc/docker/daemon.json",
    });

    // The Docker API over plain TCP (2.7), on a host this stack does not harden (1.2.1).
    const vmDocker = new docker.Provider("vm-docker", { host: pulumi.interpolate`tcp://${instance.publicIp}:2375` });
    // The CI team's build host, hardened elsewhere and on the organisation's allow-list.
    const buildHost = new docker.Provider("build-docker", { host: "ssh://deploy@build-01.ci.example.net:22" });

    const network = new docker.Network("flat-net", { driver: "bridge" }, { provider: buildHost });
    const image = new docker.RemoteImage(
        "app-image",
        { name: "docker.io/library/nginx:latest" },
        { provider: buildHost },
    );

    const agent = new docker.Container(
        "agent",
        {
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
        },
        { provider: vmDocker },
    );

    const app = new docker.Container(
        "app",
        {
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
        },
        { provider: buildHost },
    );
    return { agent, app, network, instance };
}
