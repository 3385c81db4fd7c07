import type * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import { renderLabels } from "../common/labels";
import { LABELS } from "../common/tokens";
import { CONTAINER_DEFAULTS } from "./defaults";
import type { ContainerPlan } from "./validate";

/** The Inputs that are passed through as they are (they may be Outputs of other resources). */
export interface ContainerInputs {
    image: pulumi.Input<string>;
    network: pulumi.Input<string>;
    /** Host address per port, in `plan.ports` order, validated. */
    hostAddresses: pulumi.Input<string>[];
    /** Volume name per volume, in `plan.volumes` order. */
    volumeNames: pulumi.Input<string>[];
    /** `NAME=value` per variable, in `plan.env` order. */
    envs: pulumi.Input<string>[];
    command?: string[];
    containerName?: string;
}

/**
 * The `docker.Container` arguments for a validated plan: drop ALL capabilities, read-only root,
 * no-new-privileges, AppArmor, limits, restart on failure, a user-defined network. Deterministic:
 * lists and labels in a stable order.
 */
export function renderContainerArgs(plan: ContainerPlan, inputs: ContainerInputs): docker.ContainerArgs {
    const securityOpts = ["no-new-privileges:true", `apparmor=${plan.appArmorProfile}`];
    if (plan.seccompProfileJson !== undefined) {
        securityOpts.push(`seccomp=${plan.seccompProfileJson}`);
    }
    const tmpfs: Record<string, string> = {};
    for (const w of [...plan.writablePaths].sort((a, b) => a.path.localeCompare(b.path))) {
        tmpfs[w.path] = `${CONTAINER_DEFAULTS.writablePathOptions},size=${w.sizeMb}m`;
    }
    const args: docker.ContainerArgs = {
        image: inputs.image,
        user: plan.user,
        capabilities: { drops: ["ALL"], adds: plan.capabilities },
        privileged: false,
        readOnly: true,
        securityOpts,
        memory: plan.memoryMb,
        memorySwap: plan.memoryMb,
        cpuShares: plan.cpuShares,
        restart: "on-failure",
        maxRetryCount: plan.maxRestarts,
        ipcMode: "private",
        // `--network <name>`: the container joins only this network, never the default bridge
        // (CIS 5.30). (`networksAdvanced` would create it on the bridge first, then move it.)
        networkMode: inputs.network,
        labels: renderLabels(
            plan.appArmor === undefined
                ? plan.labels
                : { ...plan.labels, [LABELS.appArmor]: `${plan.appArmor.name} sha256:${plan.appArmor.sha256}` },
            plan.waivers,
        ),
    };
    if (Object.keys(tmpfs).length > 0) {
        args.tmpfs = tmpfs;
    }
    if (plan.volumes.length > 0) {
        args.volumes = plan.volumes.map((v) => ({
            volumeName: inputs.volumeNames[v.index],
            containerPath: v.containerPath,
            readOnly: v.readOnly,
        }));
    }
    if (plan.ports.length > 0) {
        args.ports = plan.ports.map((p) => ({
            internal: p.containerPort,
            external: p.hostPort,
            ip: inputs.hostAddresses[p.index],
            protocol: p.protocol,
        }));
    }
    if (plan.healthCheck !== undefined) {
        const hc = plan.healthCheck;
        args.healthcheck = {
            tests: ["CMD", ...hc.command],
            interval: `${hc.intervalSeconds}s`,
            timeout: `${hc.timeoutSeconds}s`,
            retries: hc.retries,
            startPeriod: `${hc.startPeriodSeconds}s`,
        };
        // `pulumi up` waits until the container reports healthy (CIS 5.27).
        args.wait = true;
        args.waitTimeout = CONTAINER_DEFAULTS.healthyWaitSeconds;
    }
    if (inputs.envs.length > 0) {
        args.envs = inputs.envs;
    }
    if (inputs.command !== undefined) {
        args.command = inputs.command;
    }
    if (inputs.containerName !== undefined) {
        args.name = inputs.containerName;
    }
    return args;
}

/**
 * The script that applies the PIDs limit (CIS 5.29), which `@pulumi/docker` 5.2.0 cannot set, with
 * `docker update`, then reads it back and fails unless it holds. The container id comes on stdin,
 * so the script's text is known at preview (and readable by the policies). POSIX sh: it runs in the
 * SSH user's login shell. `docker update` persists the limit in the container's host config, so it
 * survives restarts; a replaced container gets a new id, which re-runs the script.
 */
export function renderPidsLimitScript(pidsLimit: number, access: "ssh" | "local"): string {
    const engine =
        access === "ssh"
            ? [
                  "# Use docker directly when this user may reach the socket, else passwordless sudo.",
                  'if [ "$(id -u)" -eq 0 ] || [ -w /var/run/docker.sock ]; then set -- docker; else set -- sudo -n docker; fi',
              ]
            : ["set -- docker"];
    return [
        "set -eu",
        // The id comes without a trailing newline (stdin is passed as is): read still fills cid.
        'IFS= read -r cid || [ -n "$cid" ]',
        'case "$cid" in',
        '    "" | *[!0-9a-f]*) echo "hardened-docker: expected a container id on stdin, got \'$cid\'" >&2; exit 64 ;;',
        "esac",
        ...engine,
        `"$@" update --pids-limit ${pidsLimit} "$cid" >/dev/null`,
        `got=$("$@" inspect --format '{{.HostConfig.PidsLimit}}' "$cid")`,
        `if [ "$got" != "${pidsLimit}" ]; then`,
        `    echo "hardened-docker: container $cid has PidsLimit $got, expected ${pidsLimit} (CIS 5.29)" >&2`,
        "    exit 1",
        "fi",
        'echo "pids-limit=$got"',
        "",
    ].join("\n");
}
