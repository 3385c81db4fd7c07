/**
 * The properties of `@pulumi/docker` 5.2.0 resources that the policies read, as the engine sends
 * them (plain values; absent means the provider's default). Names follow the provider's schema; a
 * test checks them against the SDK's own argument types.
 */
export interface ContainerProps {
    image?: string;
    user?: string;
    privileged?: boolean;
    readOnly?: boolean;
    capabilities?: { adds?: string[]; drops?: string[] };
    securityOpts?: string[];
    memory?: number;
    cpuShares?: number;
    cpus?: string;
    cpuQuota?: number;
    restart?: string;
    maxRetryCount?: number;
    networkMode?: string;
    networksAdvanced?: { name: string }[];
    pidMode?: string;
    ipcMode?: string;
    usernsMode?: string;
    cgroupParent?: string;
    devices?: { hostPath: string; containerPath?: string }[];
    ports?: { internal: number; external?: number; ip?: string; protocol?: string }[];
    publishAllPorts?: boolean;
    volumes?: { hostPath?: string; containerPath?: string; volumeName?: string; readOnly?: boolean }[];
    mounts?: { type: string; source?: string; target: string; bindOptions?: { propagation?: string } }[];
    healthcheck?: { tests?: string[]; interval?: string; retries?: number; timeout?: string };
}

export interface NetworkProps {
    driver?: string;
    internal?: boolean;
    options?: Record<string, string>;
}

export interface RemoteImageProps {
    name?: string;
}

export interface BuiltImageProps {
    imageName?: string;
}

export interface CommandProps {
    create?: string;
}

/**
 * The value of a `--security-opt` key (`apparmor`, `seccomp`, `label`, `no-new-privileges`) as the
 * container sets it, or undefined. Docker accepts both `key=value` and the older `key:value`.
 */
export function securityOpt(opts: string[] | undefined, key: string): string[] {
    const out: string[] = [];
    for (const opt of opts ?? []) {
        const m = /^([a-z-]+)[=:](.*)$/s.exec(opt);
        if (m !== null && m[1] === key) {
            out.push(m[2]);
        } else if (opt === key) {
            out.push("");
        }
    }
    return out;
}

/** Docker's Go duration strings as the provider takes them (`30s`, `1m30s`, `500ms`), in seconds. */
export function durationSeconds(value: string | undefined): number | undefined {
    if (value === undefined || value === "") {
        return undefined;
    }
    const re = /([0-9]+(?:\.[0-9]+)?)(h|ms|m|s|us|µs|ns)/gy;
    let total = 0;
    let matched = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(value)) !== null) {
        const n = Number(m[1]);
        total += n * { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 }[m[2] as "h"];
        matched = re.lastIndex;
    }
    return matched === value.length ? total : undefined;
}
