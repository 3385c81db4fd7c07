import * as assert from "node:assert/strict";
import { ArgumentError } from "../../../../components/common/errors";
import {
    type DaemonConfigArgs,
    type DaemonConfigPlan,
    validateDaemonConfigArgs,
} from "../../../../components/daemon/config";
import {
    CA_PEM,
    CTX,
    ENCRYPTED_KEY_PEM,
    EXPIRED_CERT_PEM,
    MINIMAL,
    OTHER_KEY_PEM,
    SERVER_CERT_PEM,
    SERVER_KEY_PEM,
} from "./fixtures";

const REASON = "no authorization plugin is packaged for Debian";
const TLS = {
    listenAddress: "192.0.2.10:2376",
    caCertificate: CA_PEM,
    serverCertificate: SERVER_CERT_PEM,
    serverKey: SERVER_KEY_PEM,
};
const ULIMITS = {
    nofile: { Hard: 65536, Name: "nofile", Soft: 65536 },
    nproc: { Hard: 16384, Name: "nproc", Soft: 16384 },
};

/** The settings of MINIMAL, key by key: every secure default. */
export const DEFAULT_SETTINGS = {
    "default-ulimits": ULIMITS,
    experimental: false,
    hosts: ["fd://"],
    icc: false,
    ip: "127.0.0.1",
    iptables: true,
    "live-restore": true,
    "log-driver": "syslog",
    "log-level": "info",
    "log-opts": { "syslog-address": "tcp+tls://logs.example.com:6514", tag: "{{.Name}}/{{.ID}}" },
    "no-new-privileges": true,
    "storage-driver": "overlay2",
    "userland-proxy": false,
    "userns-remap": "default",
};

function plan(args: DaemonConfigArgs): DaemonConfigPlan {
    return validateDaemonConfigArgs(args, CTX);
}

/** MINIMAL with `changes` on top (an undefined value removes the argument). */
function args(changes: Record<string, unknown>): DaemonConfigArgs {
    return { ...MINIMAL, ...changes } as DaemonConfigArgs;
}

describe("validateDaemonConfigArgs", () => {
    it("fills in every secure default, and records the waived authorization plugin", () => {
        assert.deepEqual(plan(MINIMAL), {
            settings: DEFAULT_SETTINGS,
            usernsRemap: "default",
            dataRoot: "/var/lib/docker",
            waivers: [{ cis: "2.12", argument: "args.waivers.noAuthorizationPlugin", reason: REASON }],
        } satisfies DaemonConfigPlan);
    });

    it("keeps the settings' keys sorted at every depth", () => {
        const p = plan(args({ logOpts: { "syslog-format": "rfc5424", mode: "non-blocking" } }));
        assert.deepEqual(Object.keys(p.settings), Object.keys(DEFAULT_SETTINGS).sort());
        assert.deepEqual(Object.keys(p.settings["log-opts"] as object), [
            "mode",
            "syslog-address",
            "syslog-format",
            "tag",
        ]);
    });

    it("takes every relaxation with its waiver, and records the waivers in CIS order", () => {
        const p = plan({
            icc: true,
            usernsRemap: false,
            liveRestore: false,
            swarm: true,
            syslogAddress: "tcp://192.0.2.20:514",
            waivers: {
                noLiveRestore: { reason: "  this host is a swarm manager  " },
                noUsernsRemap: { reason: "the CI runner needs privileged builds" },
                interContainerCommunication: { reason: "legacy links between containers" },
                noAuthorizationPlugin: { reason: REASON },
            },
        });
        assert.deepEqual(p.waivers, [
            {
                cis: "2.2",
                argument: "args.waivers.interContainerCommunication",
                reason: "legacy links between containers",
            },
            { cis: "2.9", argument: "args.waivers.noUsernsRemap", reason: "the CI runner needs privileged builds" },
            { cis: "2.12", argument: "args.waivers.noAuthorizationPlugin", reason: REASON },
            { cis: "2.15", argument: "args.waivers.noLiveRestore", reason: "this host is a swarm manager" },
        ]);
        assert.equal(p.usernsRemap, false);
        assert.equal(p.settings.icc, true);
        assert.equal(p.settings["live-restore"], false);
        assert.equal("userns-remap" in p.settings, false);
    });

    it("takes an authorization plugin instead of the waiver", () => {
        const p = plan({ syslogAddress: "tcp://logs.example.com:514", authorizationPlugins: ["opa-docker-authz:0.8"] });
        assert.deepEqual(p.waivers, []);
        assert.deepEqual(p.settings["authorization-plugins"], ["opa-docker-authz:0.8"]);
    });

    it("takes a TLS socket: hosts, tlsverify and the files' paths; the PEM texts for the files", () => {
        const p = plan(args({ tls: TLS }));
        assert.deepEqual(p.tls, { caPem: CA_PEM, certPem: SERVER_CERT_PEM, keyPem: SERVER_KEY_PEM });
        assert.deepEqual(p.settings.hosts, ["fd://", "tcp://192.0.2.10:2376"]);
        assert.equal(p.settings.tlsverify, true);
        assert.equal(p.settings.tlscacert, "/etc/docker/tls/ca.pem");
        assert.equal(p.settings.tlscert, "/etc/docker/tls/server-cert.pem");
        assert.equal(p.settings.tlskey, "/etc/docker/tls/server-key.pem");
    });

    for (const [listen, host] of [
        ["192.0.2.10", "tcp://192.0.2.10:2376"],
        ["10.0.0.5:12376", "tcp://10.0.0.5:12376"],
        ["[2001:DB8:0::10]:2376", "tcp://[2001:db8::10]:2376"],
        ["2001:db8::10", "tcp://[2001:db8::10]:2376"],
        ["127.0.0.1:2376", "tcp://127.0.0.1:2376"],
    ]) {
        it(`listens on ${host} for listenAddress ${listen}`, () => {
            assert.deepEqual(plan(args({ tls: { ...TLS, listenAddress: listen } })).settings.hosts, ["fd://", host]);
        });
    }

    it("merges ulimits over the defaults", () => {
        const p = plan(args({ defaultUlimits: { nofile: { soft: 1024, hard: 4096 }, core: { soft: 0, hard: 0 } } }));
        assert.deepEqual(p.settings["default-ulimits"], {
            core: { Hard: 0, Name: "core", Soft: 0 },
            nofile: { Hard: 4096, Name: "nofile", Soft: 1024 },
            nproc: ULIMITS.nproc,
        });
    });

    it("normalizes the syslog address, and takes journald without one", () => {
        assert.deepEqual(plan(args({ syslogAddress: "tcp://[2001:db8:0::1]:514" })).settings["log-opts"], {
            "syslog-address": "tcp://[2001:db8::1]:514",
            tag: "{{.Name}}/{{.ID}}",
        });
        const p = plan(args({ logDriver: "journald", syslogAddress: undefined, logOpts: { tag: "{{.Name}}" } }));
        assert.equal(p.settings["log-driver"], "journald");
        assert.deepEqual(p.settings["log-opts"], { tag: "{{.Name}}" });
    });

    it("re-serializes a seccomp profile and names its installed path", () => {
        const p = plan(
            args({
                seccompProfile:
                    '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"}]}',
            }),
        );
        assert.equal(
            p.seccompProfile,
            [
                "{",
                '  "defaultAction": "SCMP_ACT_ERRNO",',
                '  "syscalls": [',
                "    {",
                '      "names": [',
                '        "read",',
                '        "write"',
                "      ],",
                '      "action": "SCMP_ACT_ALLOW"',
                "    }",
                "  ]",
                "}",
                "",
            ].join("\n"),
        );
        assert.equal(p.settings["seccomp-profile"], "/etc/docker/seccomp.json");
    });

    it("writes data-root only when the host moved it", () => {
        const p = validateDaemonConfigArgs(MINIMAL, { ...CTX, dataRoot: "/srv/docker" });
        assert.equal(p.settings["data-root"], "/srv/docker");
        assert.equal(p.dataRoot, "/srv/docker");
        assert.equal("data-root" in plan(MINIMAL).settings, false);
    });

    it("merges extra keys last, and accepts one that repeats what the step sets", () => {
        const p = plan(
            args({
                extra: {
                    dns: ["192.0.2.53"],
                    "default-address-pools": [{ base: "10.200.0.0/16", size: 24 }],
                    icc: false,
                    "log-opts": { tag: "{{.Name}}/{{.ID}}", "syslog-address": "tcp+tls://logs.example.com:6514" },
                    debug: false,
                },
            }),
        );
        assert.deepEqual(p.settings, {
            ...DEFAULT_SETTINGS,
            debug: false,
            "default-address-pools": [{ base: "10.200.0.0/16", size: 24 }],
            dns: ["192.0.2.53"],
        });
    });
});

/** A table of bad arguments and the exact error each gives. */
const BAD: [string, DaemonConfigArgs, string, string][] = [
    [
        "an unknown argument",
        args({ iccc: true }),
        "args.iccc",
        "is not an argument; allowed: icc, logLevel, iptables, insecureRegistries, storageDriver, tls, defaultUlimits, usernsRemap, authorizationPlugins, logDriver, syslogAddress, logOpts, liveRestore, seccompProfile, experimental, ip, swarm, extra, waivers",
    ],
    // CIS 2.2
    [
        "icc without its waiver",
        args({ icc: true }),
        "args.icc",
        "is true: containers on the default bridge reach each other (CIS 2.2); or give waivers.interContainerCommunication: { reason }",
    ],
    ["icc not a boolean", args({ icc: "no" }), "args.icc", 'must be true or false, got "no"'],
    [
        "a waiver that relaxes nothing",
        args({ waivers: { ...MINIMAL.waivers, interContainerCommunication: { reason: "we might need links" } } }),
        "args.waivers.interContainerCommunication",
        "is given, but CIS 2.2 is not relaxed; remove the waiver",
    ],
    [
        "a waiver without a reason",
        args({ icc: true, waivers: { ...MINIMAL.waivers, interContainerCommunication: { reason: " todo " } } }),
        "args.waivers.interContainerCommunication.reason",
        "must say why, in at least 10 characters",
    ],
    [
        "an unknown waiver",
        args({ waivers: { ...MINIMAL.waivers, noIcc: { reason: "because we need it" } } }),
        "args.waivers.noIcc",
        "is not an argument; allowed: interContainerCommunication, noUsernsRemap, noAuthorizationPlugin, noLiveRestore",
    ],
    // CIS 2.3
    [
        "debug logging",
        args({ logLevel: "debug" }),
        "args.logLevel",
        'is "debug", for troubleshooting, not for a hardened daemon; use "info" (CIS 2.3), "warn" or "error"',
    ],
    [
        "an unknown log level",
        args({ logLevel: "fatal" }),
        "args.logLevel",
        'must be one of "info", "warn", "error", got "fatal"',
    ],
    // CIS 2.4
    [
        "iptables off",
        args({ iptables: false }),
        "args.iptables",
        "is false: Docker must manage iptables, or published ports and network isolation are left to hand-written rules (CIS 2.4)",
    ],
    // CIS 2.5
    [
        "an insecure registry",
        args({ insecureRegistries: ["registry.local:5000"] }),
        "args.insecureRegistries",
        'must be empty: a registry over plain HTTP or unverified TLS is refused (CIS 2.5); got ["registry.local:5000"]',
    ],
    // CIS 2.6
    [
        "aufs",
        args({ storageDriver: "aufs" }),
        "args.storageDriver",
        'is "aufs", which is deprecated and gone from current Docker (CIS 2.6); use "overlay2"',
    ],
    [
        "devicemapper",
        args({ storageDriver: "devicemapper" }),
        "args.storageDriver",
        'is "devicemapper", which is deprecated and gone from current Docker (CIS 2.6); use "overlay2"',
    ],
    [
        "vfs",
        args({ storageDriver: "vfs" }),
        "args.storageDriver",
        'must be one of "overlay2", "btrfs", "zfs", "fuse-overlayfs", got "vfs"',
    ],
    // CIS 2.7
    [
        "TCP on every interface",
        args({ tls: { ...TLS, listenAddress: "0.0.0.0:2376" } }),
        "args.tls.listenAddress",
        'is "0.0.0.0:2376", every interface; name the one address remote clients use (CIS 2.7)',
    ],
    [
        "TCP on every IPv6 interface",
        args({ tls: { ...TLS, listenAddress: "[::]:2376" } }),
        "args.tls.listenAddress",
        'is "[::]:2376", every interface; name the one address remote clients use (CIS 2.7)',
    ],
    [
        "a name to listen on",
        args({ tls: { ...TLS, listenAddress: "docker.example.com:2376" } }),
        "args.tls.listenAddress",
        'must be "<IP address>:<port>", "[<IPv6 address>]:<port>" or an address alone (port 2376), got "docker.example.com:2376"',
    ],
    [
        "a port out of range",
        args({ tls: { ...TLS, listenAddress: "192.0.2.10:70000" } }),
        "args.tls.listenAddress",
        "has port 70000; a port is 1 to 65535",
    ],
    [
        "no CA certificate",
        args({ tls: { ...TLS, caCertificate: undefined } }),
        "args.tls.caCertificate",
        "is required: the certificate of the CA that signed the clients' certificates, PEM",
    ],
    [
        "a key in the certificate",
        args({ tls: { ...TLS, serverCertificate: `${SERVER_CERT_PEM}${SERVER_KEY_PEM}` } }),
        "args.tls.serverCertificate",
        "contains a private key; give only certificates here",
    ],
    [
        "a CA that is not PEM",
        args({ tls: { ...TLS, caCertificate: "MIIB..." } }),
        "args.tls.caCertificate",
        "must be PEM text of one or more certificates (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----) and nothing else",
    ],
    [
        "a key for another certificate",
        args({ tls: { ...TLS, serverKey: OTHER_KEY_PEM } }),
        "args.tls.serverKey",
        "does not match the server certificate (serverCertificate)",
    ],
    [
        "an encrypted key",
        args({ tls: { ...TLS, serverKey: ENCRYPTED_KEY_PEM } }),
        "args.tls.serverKey",
        "is encrypted; dockerd needs the key without a passphrase",
    ],
    [
        "two keys",
        args({ tls: { ...TLS, serverKey: `${SERVER_KEY_PEM}${OTHER_KEY_PEM}` } }),
        "args.tls.serverKey",
        "must be PEM text of exactly one private key and nothing else",
    ],
    [
        "a certificate as the key",
        args({ tls: { ...TLS, serverKey: CA_PEM } }),
        "args.tls.serverKey",
        "is a CERTIFICATE, not a PRIVATE KEY",
    ],
    [
        "no key",
        args({ tls: { ...TLS, serverKey: "" } }),
        "args.tls.serverKey",
        "is required: the server's private key, PEM, as a Pulumi secret",
    ],
    [
        "an expired certificate",
        args({ tls: { ...TLS, serverCertificate: EXPIRED_CERT_PEM } }),
        "args.tls.serverCertificate",
        "expired on Jan  1 00:00:00 2021 GMT",
    ],
    [
        "an unknown TLS argument",
        args({ tls: { ...TLS, clientAuth: "none" } }),
        "args.tls.clientAuth",
        "is not an argument; allowed: listenAddress, caCertificate, serverCertificate, serverKey",
    ],
    // CIS 2.8
    [
        "an unknown ulimit",
        args({ defaultUlimits: { files: { soft: 1, hard: 1 } } }),
        "args.defaultUlimits.files",
        "is not a ulimit; allowed: core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack",
    ],
    [
        "a soft limit above the hard one",
        args({ defaultUlimits: { nproc: { soft: 4096, hard: 2048 } } }),
        "args.defaultUlimits.nproc.soft",
        "is 4096, above the hard limit 2048",
    ],
    [
        "too many open files",
        args({ defaultUlimits: { nofile: { soft: 1024, hard: 2000000 } } }),
        "args.defaultUlimits.nofile.hard",
        "must be a whole number from 1 to 1048576, got 2000000",
    ],
    [
        "no open files",
        args({ defaultUlimits: { nofile: { soft: 0, hard: 0 } } }),
        "args.defaultUlimits.nofile.hard",
        "must be a whole number from 1 to 1048576, got 0",
    ],
    // CIS 2.9
    [
        "remapping off without its waiver",
        args({ usernsRemap: false }),
        "args.usernsRemap",
        "is false: container root is host root (CIS 2.9); or give waivers.noUsernsRemap: { reason }",
    ],
    [
        "remapping to root",
        args({ usernsRemap: "root:root" }),
        "args.usernsRemap",
        'is "root:root": mapping container root to host root is no remapping (CIS 2.9)',
    ],
    [
        "remapping to uid 0",
        args({ usernsRemap: "0" }),
        "args.usernsRemap",
        'is "0": mapping container root to host root is no remapping (CIS 2.9)',
    ],
    [
        "a bad remap user",
        args({ usernsRemap: "app user" }),
        "args.usernsRemap",
        'must be "default", "user", "user:group" (names or numeric ids) or false, got "app user"',
    ],
    [
        "remapping true",
        args({ usernsRemap: true }),
        "args.usernsRemap",
        'must be "default", "user", "user:group" (names or numeric ids) or false, got true',
    ],
    // CIS 2.12
    [
        "no authorization plugin and no waiver",
        args({ waivers: undefined }),
        "args.authorizationPlugins",
        "is empty: every client of the socket may do everything; name an authorization plugin (CIS 2.12); or give waivers.noAuthorizationPlugin: { reason }",
    ],
    [
        "a plugin and its waiver",
        args({ authorizationPlugins: ["authz-broker"] }),
        "args.waivers.noAuthorizationPlugin",
        "is given, but CIS 2.12 is not relaxed; remove the waiver",
    ],
    [
        "a plugin twice",
        args({ authorizationPlugins: ["authz", "authz"], waivers: undefined }),
        "args.authorizationPlugins[1]",
        'repeats "authz"',
    ],
    [
        "a bad plugin name",
        args({ authorizationPlugins: ["-x"], waivers: undefined }),
        "args.authorizationPlugins[0]",
        'is not a plugin name: "-x"',
    ],
    // CIS 2.13
    [
        "json-file",
        args({ logDriver: "json-file" }),
        "args.logDriver",
        'is "json-file", which keeps logs on this host alone; use "syslog" or "journald" (CIS 2.13)',
    ],
    [
        "local",
        args({ logDriver: "local" }),
        "args.logDriver",
        'is "local", which keeps logs on this host alone; use "syslog" or "journald" (CIS 2.13)',
    ],
    ["fluentd", args({ logDriver: "fluentd" }), "args.logDriver", 'must be one of "syslog", "journald", got "fluentd"'],
    [
        "syslog without an address",
        args({ syslogAddress: undefined }),
        "args.syslogAddress",
        'is required with logDriver "syslog": "tcp://host:port" or "tcp+tls://host:port", the central log server (CIS 2.13); or use logDriver "journald"',
    ],
    [
        "syslog over UDP",
        args({ syslogAddress: "udp://logs.example.com:514" }),
        "args.syslogAddress",
        'is "udp://logs.example.com:514": UDP loses messages silently; use "tcp://" or "tcp+tls://" (CIS 2.13)',
    ],
    [
        "a syslog address without a scheme",
        args({ syslogAddress: "logs.example.com:514" }),
        "args.syslogAddress",
        'must be "tcp://host:port" or "tcp+tls://host:port" (an IPv6 address in brackets), got "logs.example.com:514"',
    ],
    [
        "a syslog address without a port",
        args({ syslogAddress: "tcp://logs.example.com" }),
        "args.syslogAddress",
        'must be "tcp://host:port" or "tcp+tls://host:port" (an IPv6 address in brackets), got "tcp://logs.example.com"',
    ],
    [
        "syslog port 0",
        args({ syslogAddress: "tcp://logs.example.com:0" }),
        "args.syslogAddress",
        "has port 0; a port is 1 to 65535",
    ],
    [
        "a syslog address with journald",
        args({ logDriver: "journald" }),
        "args.syslogAddress",
        'is for logDriver "syslog"; journald has no address',
    ],
    [
        "syslog-address in logOpts",
        args({ logOpts: { "syslog-address": "tcp://x:1" } }),
        "args.logOpts.syslog-address",
        "is set by the argument syslogAddress; set it there",
    ],
    [
        "skipping TLS verification",
        args({ logOpts: { "syslog-tls-skip-verify": "true" } }),
        "args.logOpts.syslog-tls-skip-verify",
        "is refused: the log server must prove who it is (CIS 2.13); give syslog-tls-ca-cert instead",
    ],
    [
        "a fluentd option",
        args({ logOpts: { "fluentd-address": "x" } }),
        "args.logOpts.fluentd-address",
        "is not a log option of the syslog driver here; allowed: tag, labels, labels-regex, env, env-regex, mode, max-buffer-size, syslog-facility, syslog-format, syslog-tls-ca-cert, syslog-tls-cert, syslog-tls-key",
    ],
    [
        "a syslog option with journald",
        args({ logDriver: "journald", syslogAddress: undefined, logOpts: { "syslog-facility": "daemon" } }),
        "args.logOpts.syslog-facility",
        "is not a log option of the journald driver here; allowed: tag, labels, labels-regex, env, env-regex, mode, max-buffer-size",
    ],
    [
        "an unknown mode",
        args({ logOpts: { mode: "fast" } }),
        "args.logOpts.mode",
        'must be one of "blocking", "non-blocking", got "fast"',
    ],
    [
        "a buffer without non-blocking",
        args({ logOpts: { "max-buffer-size": "4m" } }),
        "args.logOpts.max-buffer-size",
        'is for mode "non-blocking"',
    ],
    [
        "a CA file over plain TCP",
        args({ syslogAddress: "tcp://logs.example.com:514", logOpts: { "syslog-tls-ca-cert": "/etc/ssl/ca.pem" } }),
        "args.logOpts.syslog-tls-ca-cert",
        'is for a "tcp+tls://" syslogAddress',
    ],
    [
        "a number as a log option",
        args({ logOpts: { tag: 5 } }),
        "args.logOpts.tag",
        "must be a non-empty string without control characters",
    ],
    // CIS 2.15, swarm
    [
        "live restore off without its waiver",
        args({ liveRestore: false }),
        "args.liveRestore",
        "is false: every dockerd restart stops the containers; keep it true (CIS 2.15); or give waivers.noLiveRestore: { reason }",
    ],
    [
        "swarm with live restore",
        args({ swarm: true }),
        "args.swarm",
        "is true, but live-restore is incompatible with swarm mode: set liveRestore: false with waivers.noLiveRestore (CIS 2.15)",
    ],
    // CIS 2.17
    [
        "a seccomp profile that is not JSON",
        args({ seccompProfile: "{defaultAction: SCMP_ACT_ERRNO}" }),
        "args.seccompProfile",
        "is not valid JSON: give the profile's JSON text, as Docker reads it",
    ],
    [
        "a seccomp profile that allows by default",
        args({ seccompProfile: '{"defaultAction":"SCMP_ACT_ALLOW"}' }),
        "args.seccompProfile.defaultAction",
        "is SCMP_ACT_ALLOW, which lets every syscall no rule names through; deny by default (SCMP_ACT_ERRNO) (CIS 2.17)",
    ],
    [
        "a seccomp profile that only logs",
        args({ seccompProfile: '{"defaultAction":"SCMP_ACT_LOG"}' }),
        "args.seccompProfile.defaultAction",
        "is SCMP_ACT_LOG, which lets every syscall no rule names through; deny by default (SCMP_ACT_ERRNO) (CIS 2.17)",
    ],
    [
        "a seccomp profile that is a list",
        args({ seccompProfile: "[]" }),
        "args.seccompProfile",
        "must be an object (a seccomp profile)",
    ],
    [
        "a seccomp rule without names",
        args({
            seccompProfile: '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":[],"action":"SCMP_ACT_ALLOW"}]}',
        }),
        "args.seccompProfile.syscalls[0].names",
        "is empty",
    ],
    [
        "a seccomp rule with a bad action",
        args({ seccompProfile: '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"ALLOW"}]}' }),
        "args.seccompProfile.syscalls[0].action",
        'must be one of SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_TRACE, SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_NOTIFY; got "ALLOW"',
    ],
    // CIS 2.18
    [
        "experimental features",
        args({ experimental: true }),
        "args.experimental",
        "is true: experimental features are not for production daemons (CIS 2.18)",
    ],
    // ip
    [
        "ports on every interface",
        args({ ip: "0.0.0.0" }),
        "args.ip",
        'is "0.0.0.0", which publishes a port given without an address on every interface; use "127.0.0.1" or one of the host\'s addresses',
    ],
    [
        "ports on every IPv6 interface",
        args({ ip: "::" }),
        "args.ip",
        'is "::", which publishes a port given without an address on every interface; use "127.0.0.1" or one of the host\'s addresses',
    ],
    [
        "a name for ip",
        args({ ip: "localhost" }),
        "args.ip",
        'must be an IP address (such as 127.0.0.1), got "localhost"',
    ],
    // extra
    [
        "extra icc",
        args({ extra: { icc: true } }),
        "args.extra.icc",
        'would change "icc", which the argument icc sets (CIS 2.2); set it there',
    ],
    [
        "extra debug",
        args({ extra: { debug: true } }),
        "args.extra.debug",
        'would set "debug" to true; it stays false (CIS 2.3)',
    ],
    [
        "extra log level",
        args({ extra: { "log-level": "debug" } }),
        "args.extra.log-level",
        'would change "log-level", which the argument logLevel sets (CIS 2.3); set it there',
    ],
    [
        "extra iptables",
        args({ extra: { iptables: false } }),
        "args.extra.iptables",
        'would change "iptables", which the argument iptables sets (CIS 2.4); set it there',
    ],
    [
        "extra insecure registries",
        args({ extra: { "insecure-registries": ["10.0.0.0/8"] } }),
        "args.extra.insecure-registries",
        'would change "insecure-registries", which the argument insecureRegistries sets (CIS 2.5); set it there',
    ],
    [
        "extra storage driver",
        args({ extra: { "storage-driver": "aufs" } }),
        "args.extra.storage-driver",
        'would change "storage-driver", which the argument storageDriver sets (CIS 2.6); set it there',
    ],
    [
        "extra hosts",
        args({ extra: { hosts: ["fd://", "tcp://0.0.0.0:2375"] } }),
        "args.extra.hosts",
        'would change "hosts", which the argument tls sets (CIS 2.7); set it there',
    ],
    [
        "extra tls",
        args({ extra: { tls: true } }),
        "args.extra.tls",
        'would change "tls", which the argument tls sets (CIS 2.7); set it there',
    ],
    [
        "extra tlsverify",
        args({ tls: TLS, extra: { tlsverify: false } }),
        "args.extra.tlsverify",
        'would change "tlsverify", which the argument tls sets (CIS 2.7); set it there',
    ],
    [
        "extra userns-remap",
        args({ extra: { "userns-remap": "" } }),
        "args.extra.userns-remap",
        'would change "userns-remap", which the argument usernsRemap sets (CIS 2.9); set it there',
    ],
    [
        "extra cgroup parent",
        args({ extra: { "cgroup-parent": "/docker-custom" } }),
        "args.extra.cgroup-parent",
        'would set "cgroup-parent" to "/docker-custom"; it stays unset (CIS 2.10)',
    ],
    [
        "extra storage options",
        args({ extra: { "storage-opts": ["dm.basesize=20G"] } }),
        "args.extra.storage-opts",
        'would set "storage-opts" to ["dm.basesize=20G"]; it stays unset (CIS 2.11)',
    ],
    [
        "extra authorization plugins",
        args({ extra: { "authorization-plugins": ["authz"] } }),
        "args.extra.authorization-plugins",
        'would change "authorization-plugins", which the argument authorizationPlugins sets (CIS 2.12); set it there',
    ],
    [
        "extra json-file",
        args({ extra: { "log-driver": "json-file" } }),
        "args.extra.log-driver",
        'would change "log-driver", which the argument logDriver sets (CIS 2.13); set it there',
    ],
    [
        "extra log options",
        args({ extra: { "log-opts": { "max-size": "10m" } } }),
        "args.extra.log-opts",
        'would change "log-opts", which the argument logOpts (with syslogAddress) sets (CIS 2.13); set it there',
    ],
    [
        "extra no-new-privileges",
        args({ extra: { "no-new-privileges": false } }),
        "args.extra.no-new-privileges",
        'would set "no-new-privileges" to false; it stays true (CIS 2.14)',
    ],
    [
        "extra live restore",
        args({ extra: { "live-restore": false } }),
        "args.extra.live-restore",
        'would change "live-restore", which the argument liveRestore sets (CIS 2.15); set it there',
    ],
    [
        "extra userland proxy",
        args({ extra: { "userland-proxy": true } }),
        "args.extra.userland-proxy",
        'would set "userland-proxy" to true; it stays false (CIS 2.16)',
    ],
    [
        "extra unconfined seccomp",
        args({ extra: { "seccomp-profile": "unconfined" } }),
        "args.extra.seccomp-profile",
        'would change "seccomp-profile", which the argument seccompProfile sets (CIS 2.17); set it there',
    ],
    [
        "extra experimental",
        args({ extra: { experimental: true } }),
        "args.extra.experimental",
        'would change "experimental", which the argument experimental sets (CIS 2.18); set it there',
    ],
    [
        "extra ip",
        args({ extra: { ip: "0.0.0.0" } }),
        "args.extra.ip",
        'would change "ip": the argument ip sets it; set it there',
    ],
    [
        "extra data root",
        args({ extra: { "data-root": "/tmp/docker" } }),
        "args.extra.data-root",
        'would change "data-root": the host\'s data volume sets it (HardenedHost)',
    ],
    [
        "extra containerd",
        args({ extra: { containerd: "/run/containerd/containerd.sock" } }),
        "args.extra.containerd",
        'would change "containerd": the docker.service drop-in passes --containerd, and dockerd refuses a setting given both as a flag and in the file',
    ],
    [
        "an extra key that is not a key",
        args({ extra: { "Log Level": "info" } }),
        "args.extra.Log Level",
        "is not a daemon.json key (lower case, digits and dashes)",
    ],
    [
        "an extra value that is not JSON",
        args({ extra: { mtu: Number.NaN } }),
        "args.extra.mtu",
        "must be JSON: null, true, false, a number, a string, a list or an object",
    ],
    [
        "an extra value nested deep that is not JSON",
        args({ extra: { "default-address-pools": [{ base: undefined }] } }),
        "args.extra.default-address-pools[0].base",
        "must be JSON: null, true, false, a number, a string, a list or an object",
    ],
    ["extra that is a list", args({ extra: [] }), "args.extra", "must be an object of daemon.json keys"],
];

describe("validateDaemonConfigArgs refuses", () => {
    for (const [title, bad, argument, problem] of BAD) {
        it(title, () => {
            assert.throws(
                () => plan(bad),
                (e: unknown) => {
                    assert.ok(e instanceof ArgumentError, String(e));
                    assert.deepEqual({ argument: e.argument, problem: e.problem }, { argument, problem });
                    assert.equal(e.message, `${argument} ${problem}`);
                    return true;
                },
            );
        });
    }

    it("a data root that is not an absolute, normalized path", () => {
        for (const dataRoot of ["var/lib/docker", "/var/lib/docker/", "/srv/../docker", "/", "/srv//docker"]) {
            assert.throws(() => validateDaemonConfigArgs(MINIMAL, { ...CTX, dataRoot }), {
                name: "ArgumentError",
                message: `ctx.dataRoot must be an absolute, normalized path, got ${JSON.stringify(dataRoot)}`,
            });
        }
    });

    it("and never puts key material in a message", () => {
        const body = SERVER_KEY_PEM.split("\n")[1];
        for (const serverKey of [
            SERVER_KEY_PEM.replace(body, body.slice(0, 20)),
            `junk ${SERVER_KEY_PEM}`,
            OTHER_KEY_PEM,
            ENCRYPTED_KEY_PEM,
        ]) {
            assert.throws(
                () => plan(args({ tls: { ...TLS, serverKey } })),
                (e: unknown) => {
                    assert.ok(e instanceof ArgumentError);
                    assert.equal(e.argument, "args.tls.serverKey");
                    for (const line of serverKey.split("\n").filter((l) => l.length > 8 && !l.startsWith("-----"))) {
                        assert.ok(!e.message.includes(line.slice(0, 8)), e.message);
                    }
                    return true;
                },
            );
        }
    });
});
