import type { Evidence } from "../evidence";
import { fail, notApplicable, pass, verdict, type CheckDef } from "./types";

function show(v: unknown): string {
    return JSON.stringify(v);
}

/** The effective value of a daemon setting, or the default the daemon uses without one. */
function setting(ev: Evidence, key: string, flags: string[], fallback: unknown): { value: unknown; source: string } {
    return ev.daemonSetting(key, flags) ?? { value: fallback, source: `${key} not set (default ${show(fallback)})` };
}

const icc: CheckDef = {
    id: "daemon-icc-off",
    cis: "2.2",
    title: "Inter-container traffic on the default bridge is off",
    run(ev) {
        const bridge = ev.raw["bridge-options"];
        if (bridge !== undefined && bridge.rc !== 0 && /no such network|not found/i.test(bridge.out)) {
            return notApplicable("the daemon has no default bridge network");
        }
        const options = JSON.parse(ev.section("bridge-options")) as Record<string, string> | null;
        const value = options?.["com.docker.network.bridge.enable_icc"];
        return verdict(
            value === "false",
            `default bridge: com.docker.network.bridge.enable_icc ${value ?? "(absent: on)"}`,
        );
    },
};

const logLevel: CheckDef = {
    id: "daemon-log-level-info",
    cis: "2.3",
    title: "The daemon logs at level info",
    run(ev) {
        const s = setting(ev, "log-level", ["--log-level", "-l"], "info");
        const debug = ev.info().Debug === true;
        return verdict(
            s.value === "info" && !debug,
            s.source,
            `docker info: Debug ${String(ev.info().Debug ?? false)}`,
        );
    },
};

const iptables: CheckDef = {
    id: "daemon-manages-iptables",
    cis: "2.4",
    title: "Docker manages the firewall rules of its networks (iptables on, its chains present)",
    run(ev) {
        const s = setting(ev, "iptables", ["--iptables"], true);
        // iptables -S works with the nft and the legacy backend alike; nft's view is the fallback.
        const ipt = ev.raw["iptables-docker"];
        const chain =
            ipt !== undefined && ipt.rc === 0 ? true : /^\s*chain DOCKER \{/m.test(ev.raw["nft-ruleset"]?.out ?? "");
        return verdict(
            s.value !== false && s.value !== "false" && chain,
            s.source,
            chain ? "Docker's DOCKER chain is loaded (nat table)" : "no DOCKER chain is loaded",
        );
    },
};

/** Plain-HTTP registries Docker allows by itself: loopback only. */
const LOOPBACK_CIDRS = ["127.0.0.0/8", "::1/128"];

const insecureRegistries: CheckDef = {
    id: "daemon-no-insecure-registries",
    cis: "2.5",
    title: "The daemon trusts no insecure registry beyond loopback",
    run(ev) {
        const reg = ev.info().RegistryConfig ?? {};
        const cidrs = (reg.InsecureRegistryCIDRs ?? []).filter((c) => !LOOPBACK_CIDRS.includes(c));
        const names = Object.entries(reg.IndexConfigs ?? {})
            .filter(([, v]) => v.Secure === false)
            .map(([k]) => k);
        return verdict(
            cidrs.length === 0 && names.length === 0,
            `docker info: insecure registry CIDRs ${show(reg.InsecureRegistryCIDRs ?? [])}, insecure registries ${show(names)}`,
        );
    },
};

const storageDriver: CheckDef = {
    id: "daemon-storage-driver",
    cis: "2.6",
    title: "The storage driver is not aufs",
    run(ev) {
        const driver = ev.info().Driver ?? "(unknown)";
        return verdict(driver !== "aufs" && driver !== "(unknown)", `docker info: storage driver ${driver}`);
    },
};

const tls: CheckDef = {
    id: "daemon-tcp-requires-tls",
    cis: "2.7",
    title: "A TCP socket of the daemon, if any, requires TLS with client verification",
    run(ev) {
        // dockerd also holds the host ports it publishes for containers (without the userland
        // proxy): those are not its API.
        const published = new Set<string>();
        for (const c of ev.containers()) {
            for (const binds of Object.values(c.inspect.NetworkSettings.Ports ?? {})) {
                for (const b of binds ?? []) {
                    published.add(b.HostPort);
                }
            }
        }
        const listening = ev
            .section("listeners")
            .split("\n")
            .filter((l) => /users:\(\("dockerd"/.test(l))
            .map((l) => l.trim().split(/\s+/)[3] ?? l)
            .filter((addr) => !published.has(addr.slice(addr.lastIndexOf(":") + 1)));
        const hosts = setting(ev, "hosts", ["-H", "--host"], []);
        const tcpHosts = (Array.isArray(hosts.value) ? hosts.value : [hosts.value])
            .map(String)
            .filter((h) => /^tcp:\/\//.test(h));
        if (listening.length === 0 && tcpHosts.length === 0) {
            return pass("dockerd listens on no TCP port but the ones it publishes for containers", hosts.source);
        }
        const verify = setting(ev, "tlsverify", ["--tlsverify"], false);
        const ca = setting(ev, "tlscacert", ["--tlscacert"], "");
        const ok =
            (verify.value === true || verify.value === "true") && typeof ca.value === "string" && ca.value !== "";
        return verdict(
            ok,
            `dockerd's API on TCP: ${[...tcpHosts, ...listening].join(", ")}`,
            hosts.source,
            verify.source,
            ca.source,
        );
    },
};

const userns: CheckDef = {
    id: "daemon-userns-remap",
    cis: "2.9",
    title: "The daemon remaps containers' root to an unprivileged user (user namespaces)",
    run(ev) {
        const opts = ev.info().SecurityOptions ?? [];
        return verdict(opts.includes("name=userns"), `docker info: security options ${opts.join(" ")}`);
    },
};

const cgroupParent: CheckDef = {
    id: "daemon-default-cgroup-parent",
    cis: "2.10",
    title: "The daemon keeps the default cgroup parent",
    run(ev) {
        const s = ev.daemonSetting("cgroup-parent", ["--cgroup-parent"]);
        return s === undefined ? pass("cgroup-parent is not set") : fail(s.source);
    },
};

const baseDevice: CheckDef = {
    id: "daemon-base-device-size",
    cis: "2.11",
    title: "The base device size is not changed",
    run(ev) {
        const s = ev.daemonSetting("storage-opts", ["--storage-opt"]);
        const opts = s === undefined ? [] : Array.isArray(s.value) ? s.value.map(String) : [String(s.value)];
        const set = opts.filter((o) => /^dm\.basesize=/.test(o));
        return set.length === 0
            ? pass(
                  s === undefined ? "storage-opts is not set" : s.source,
                  `docker info: storage driver ${ev.info().Driver ?? "(unknown)"}`,
              )
            : fail(s!.source);
    },
};

const authz: CheckDef = {
    id: "daemon-authorization-plugin",
    cis: "2.12",
    title: "An authorization plugin controls the clients' requests",
    run(ev) {
        const plugins = ev.info().Plugins?.Authorization ?? [];
        return verdict((plugins ?? []).length > 0, `docker info: authorization plugins ${show(plugins ?? [])}`);
    },
};

/** Log drivers that keep logs on the host only. */
const LOCAL_DRIVERS = ["json-file", "local", "none", ""];

/** Where a log driver sends, from its `<driver>-address` option; undefined when it has none. */
function logAddress(ev: Evidence, driver: string): string | undefined {
    const key = `${driver}-address`;
    const opts = ev.daemonSetting("log-opts", ["--log-opt"]);
    if (opts === undefined) {
        return undefined;
    }
    if (typeof opts.value === "string") {
        return opts.value.startsWith(`${key}=`) ? opts.value.slice(key.length + 1) : undefined;
    }
    const v = (opts.value as Record<string, unknown> | null)?.[key];
    return typeof v === "string" ? v : undefined;
}

/** A log address on this host: a Unix socket, loopback or localhost. */
function isLocal(address: string): boolean {
    return /^unix(gram)?:\/\//.test(address) || /^(\w+:\/\/)?(localhost|127\.[0-9.]+|\[::1\])(:|$)/.test(address);
}

const remoteLogging: CheckDef = {
    id: "daemon-remote-logging",
    cis: "2.13",
    title: "Container logs reach a central log server",
    run(ev, exp) {
        const driver = ev.info().LoggingDriver ?? "";
        if (LOCAL_DRIVERS.includes(driver)) {
            return fail(`docker info: log driver ${driver || "(none)"} keeps logs on the host`);
        }
        const address = driver === "journald" ? undefined : logAddress(ev, driver);
        if (driver !== "journald" && driver !== "syslog") {
            return pass(
                `docker info: log driver ${driver} sends logs off the host${address === undefined ? "" : ` (${address})`}`,
            );
        }
        if (driver === "syslog" && address !== undefined && !isLocal(address)) {
            return pass(`docker info: log driver syslog sends logs to ${address}`);
        }
        // journald, or syslog to this host's own syslog: the host's logging step must forward them.
        const rsyslog = ev.raw.rsyslog?.out.trim().split("\n") ?? [];
        const active = rsyslog[0] === "active";
        const forwarding = exp.remoteLogging && rsyslog.some((l) => l.endsWith(" present"));
        return verdict(
            active && forwarding,
            driver === "journald"
                ? "docker info: log driver journald"
                : `docker info: log driver syslog to this host (${address ?? "/dev/log"})`,
            `rsyslog.service ${rsyslog[0] ?? "(unknown)"}`,
            forwarding ? "the logging step's forwarding rule is installed" : "no forwarding rule of the logging step",
        );
    },
};

const noNewPrivileges: CheckDef = {
    id: "daemon-no-new-privileges",
    cis: "2.14",
    title: "no-new-privileges is the daemon's default for containers",
    run(ev) {
        const s = setting(ev, "no-new-privileges", ["--no-new-privileges"], false);
        return verdict(s.value === true || s.value === "true", s.source);
    },
};

const liveRestore: CheckDef = {
    id: "daemon-live-restore",
    cis: "2.15",
    title: "Live restore is on",
    run(ev) {
        return verdict(
            ev.info().LiveRestoreEnabled === true,
            `docker info: live restore ${String(ev.info().LiveRestoreEnabled)}`,
        );
    },
};

const userlandProxy: CheckDef = {
    id: "daemon-no-userland-proxy",
    cis: "2.16",
    title: "The userland proxy is off",
    run(ev) {
        const s = setting(ev, "userland-proxy", ["--userland-proxy"], true);
        const proxies = ev
            .section("docker-proxy")
            .split("\n")
            .filter((l) => l.trim() !== "").length;
        return verdict(
            (s.value === false || s.value === "false") && proxies === 0,
            s.source,
            `docker-proxy processes: ${proxies}`,
        );
    },
};

const experimental: CheckDef = {
    id: "daemon-no-experimental",
    cis: "2.18",
    title: "Experimental features are off",
    run(ev) {
        return verdict(
            ev.info().ExperimentalBuild === false,
            `docker info: experimental ${String(ev.info().ExperimentalBuild)}`,
        );
    },
};

const swarm: CheckDef = {
    id: "swarm-inactive",
    cis: "5.1",
    title: "Swarm mode is off",
    run(ev) {
        const state = ev.info().Swarm?.LocalNodeState ?? "(unknown)";
        return verdict(state === "inactive", `docker info: swarm ${state}`);
    },
};

export const DAEMON_CHECKS: readonly CheckDef[] = Object.freeze([
    icc,
    logLevel,
    iptables,
    insecureRegistries,
    storageDriver,
    tls,
    userns,
    cgroupParent,
    baseDevice,
    authz,
    remoteLogging,
    noNewPrivileges,
    liveRestore,
    userlandProxy,
    experimental,
    swarm,
]);
