import * as assert from "node:assert/strict";
import { ArgumentError } from "../../../../components/common/errors";
import { type LoggingArgs, type LoggingPlan, validateLoggingArgs } from "../../../../components/host/logging";
import { CTX } from "../stepHarness";

/** A test CA certificate (P-256, valid until 2126); public by nature. */
export const CA_PEM = [
    "-----BEGIN CERTIFICATE-----",
    "MIIBrDCCAVGgAwIBAgIUa2qFwiNj6VJhxaCAV71Cg0aickkwCgYIKoZIzj0EAwIw",
    "IjEgMB4GA1UEAwwXaGFyZGVuZWQtZG9ja2VyIHRlc3QgQ0EwIBcNMjYxMTI4MjIw",
    "MDU3WhgPMjEyNjExMDQyMjAwNTdaMCIxIDAeBgNVBAMMF2hhcmRlbmVkLWRvY2tl",
    "ciB0ZXN0IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEmorXrRkRwFfwpp7k",
    "WQs/rtFT+hWQ7X065mmFLdGXANe0HiikNTdLjgdJgbFOT8KaD0QkrTse16o20n88",
    "yHwHk6NjMGEwHQYDVR0OBBYEFM3Q6Wb0FKGGEhQpBInbIYEh6ye1MB8GA1UdIwQY",
    "MBaAFM3Q6Wb0FKGGEhQpBInbIYEh6ye1MA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0P",
    "AQH/BAQDAgEGMAoGCCqGSM49BAMCA0kAMEYCIQCYTM+QL60wR1YQvvNZYk9AId8q",
    "L9fg1X6VVHOd6EFwgwIhAJNe7R3tR8N7ESKjk5f/QnEBEvNH36NkhFtCbEd9LtaB",
    "-----END CERTIFICATE-----",
    "",
].join("\n");

/** A second certificate, for bundles. */
export const CA2_PEM = [
    "-----BEGIN CERTIFICATE-----",
    "MIIBrzCCAVWgAwIBAgIUZWnSrW38T5HlgCsbPujRIKJMUkkwCgYIKoZIzj0EAwIw",
    "LDEqMCgGA1UEAwwhaGFyZGVuZWQtZG9ja2VyIHRlc3QgaW50ZXJtZWRpYXRlMCAX",
    "DTI2MTEyODIyMDA1N1oYDzIxMjYxMTA0MjIwMDU3WjAsMSowKAYDVQQDDCFoYXJk",
    "ZW5lZC1kb2NrZXIgdGVzdCBpbnRlcm1lZGlhdGUwWTATBgcqhkjOPQIBBggqhkjO",
    "PQMBBwNCAARy7Tbf+3HAgHZ1JEFclj2Ve7gG7l3xlQTsuoatFAL2TMWsdH6hcwTP",
    "1+mjMXBFKtXSiD9ehx9U2yeDwgwHFuclo1MwUTAdBgNVHQ4EFgQUuSGFt2ItpUCz",
    "+Uvy0MYTHPGg7mAwHwYDVR0jBBgwFoAUuSGFt2ItpUCz+Uvy0MYTHPGg7mAwDwYD",
    "VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiAcuK9uMSRLA1KKuChmS8KY",
    "V4U+j9IQPi6n32o3FJn/uwIhAJfAomxigo5gChSgB644VsD1+BnZfVgmmKyM2dbb",
    "+rG7",
    "-----END CERTIFICATE-----",
    "",
].join("\n");

describe("validateLoggingArgs", () => {
    it("fills in the defaults for plain TCP: port 514, a 1 GiB queue", () => {
        assert.deepEqual(validateLoggingArgs({ remote: { host: "Logs.Example.COM." } }, CTX), {
            host: "logs.example.com",
            port: 514,
            queueMaxDiskSpaceMb: 1024,
        } satisfies LoggingPlan);
    });

    it("fills in the defaults for TLS: port 6514, the host as permitted peer", () => {
        assert.deepEqual(
            validateLoggingArgs(
                { remote: { host: "logs.example.com", protocol: "tcp", tls: { caCertificate: CA_PEM } } },
                CTX,
            ),
            {
                host: "logs.example.com",
                port: 6514,
                tls: { caPem: CA_PEM, permittedPeer: "logs.example.com" },
                queueMaxDiskSpaceMb: 1024,
            } satisfies LoggingPlan,
        );
    });

    it("takes every option, and re-encodes a CA bundle", () => {
        assert.deepEqual(
            validateLoggingArgs(
                {
                    remote: {
                        host: "fd00:0:0::10",
                        port: 10514,
                        tls: {
                            caCertificate: `\n${CA_PEM.replace(/\n/g, "\r\n")}\n${CA2_PEM}`,
                            permittedPeer: "*.Logs.Example.com",
                        },
                    },
                    queueMaxDiskSpaceMb: 4096,
                },
                CTX,
            ),
            {
                host: "fd00::10",
                port: 10514,
                tls: { caPem: `${CA_PEM}${CA2_PEM}`, permittedPeer: "*.logs.example.com" },
                queueMaxDiskSpaceMb: 4096,
            } satisfies LoggingPlan,
        );
    });

    it("takes an IPv4 address with a permitted peer", () => {
        assert.deepEqual(
            validateLoggingArgs(
                { remote: { host: "192.0.2.10", tls: { caCertificate: CA_PEM, permittedPeer: "logs.example.com" } } },
                CTX,
            ),
            {
                host: "192.0.2.10",
                port: 6514,
                tls: { caPem: CA_PEM, permittedPeer: "logs.example.com" },
                queueMaxDiskSpaceMb: 1024,
            },
        );
    });

    const tls = (caCertificate: unknown) => ({ remote: { host: "logs.example.com", tls: { caCertificate } } });
    const NOT_PEM =
        "args.logging.remote.tls.caCertificate must be PEM text of one or more certificates (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----) and nothing else";
    const cases: [title: string, args: unknown, message: string][] = [
        [
            "no arguments",
            undefined,
            'args.logging.remote is required: { host, port?, protocol: "tcp", tls? }, the central log server (CIS 2.13)',
        ],
        [
            "no remote",
            {},
            'args.logging.remote is required: { host, port?, protocol: "tcp", tls? }, the central log server (CIS 2.13)',
        ],
        [
            "an unknown argument",
            { remote: { host: "logs.example.com" }, facility: "local0" },
            "args.logging.facility is not an argument; allowed: remote, queueMaxDiskSpaceMb",
        ],
        [
            "an unknown remote argument",
            { remote: { host: "logs.example.com", address: "x" } },
            "args.logging.remote.address is not an argument; allowed: host, port, protocol, tls",
        ],
        [
            "UDP",
            { remote: { host: "logs.example.com", protocol: "udp" } },
            'args.logging.remote.protocol is "udp", which loses messages silently when the server or the network is down; use "tcp" (CIS 2.13)',
        ],
        [
            "RELP",
            { remote: { host: "logs.example.com", protocol: "relp" } },
            'args.logging.remote.protocol must be "tcp", got "relp"',
        ],
        [
            "no host",
            { remote: {} },
            "args.logging.remote.host is required: the log server's DNS name or IP address (CIS 2.13)",
        ],
        [
            "a host with a space",
            { remote: { host: "logs example.com" } },
            'args.logging.remote.host must be a DNS name or an IP address, got "logs example.com"',
        ],
        [
            "a host with a quote",
            { remote: { host: 'logs.example.com" port="1' } },
            'args.logging.remote.host must be a DNS name or an IP address, got "logs.example.com\\" port=\\"1"',
        ],
        [
            "a host with an empty label",
            { remote: { host: "logs..example.com" } },
            'args.logging.remote.host must be a DNS name or an IP address, got "logs..example.com"',
        ],
        [
            "a host with a leading hyphen",
            { remote: { host: "-logs.example.com" } },
            'args.logging.remote.host must be a DNS name or an IP address, got "-logs.example.com"',
        ],
        [
            "a host with a port",
            { remote: { host: "logs.example.com:6514" } },
            'args.logging.remote.host must be a DNS name or an IP address, got "logs.example.com:6514"',
        ],
        [
            "a malformed IPv4 address",
            { remote: { host: "192.0.2.300" } },
            'args.logging.remote.host must be a DNS name or an IP address, got "192.0.2.300"',
        ],
        [
            "a loopback address",
            { remote: { host: "127.0.0.1" } },
            "args.logging.remote.host is 127.0.0.1, a loopback address; name a server on another machine (CIS 2.13)",
        ],
        [
            "the IPv6 loopback",
            { remote: { host: "::1" } },
            "args.logging.remote.host is ::1, a loopback address; name a server on another machine (CIS 2.13)",
        ],
        [
            "the unspecified address",
            { remote: { host: "0.0.0.0" } },
            "args.logging.remote.host is 0.0.0.0, an unspecified address; name a server on another machine (CIS 2.13)",
        ],
        [
            "localhost",
            { remote: { host: "localhost" } },
            "args.logging.remote.host is localhost, this host; name a server on another machine (CIS 2.13)",
        ],
        [
            "port 0",
            { remote: { host: "logs.example.com", port: 0 } },
            "args.logging.remote.port must be a whole number from 1 to 65535, got 0",
        ],
        [
            "port 65536",
            { remote: { host: "logs.example.com", port: 65536 } },
            "args.logging.remote.port must be a whole number from 1 to 65535, got 65536",
        ],
        [
            "a port as text",
            { remote: { host: "logs.example.com", port: "6514" } },
            "args.logging.remote.port must be a whole number from 1 to 65535, got 6514",
        ],
        [
            "a tiny queue",
            { remote: { host: "logs.example.com" }, queueMaxDiskSpaceMb: 1 },
            "args.logging.queueMaxDiskSpaceMb must be a whole number from 16 to 1048576, got 1",
        ],
        [
            "TLS as true",
            { remote: { host: "logs.example.com", tls: true } },
            "args.logging.remote.tls must be an object { caCertificate, permittedPeer? }",
        ],
        [
            "an unknown TLS argument",
            { remote: { host: "logs.example.com", tls: { caCertificate: CA_PEM, clientKey: "x" } } },
            "args.logging.remote.tls.clientKey is not an argument; allowed: caCertificate, permittedPeer",
        ],
        [
            "no CA certificate",
            tls(undefined),
            "args.logging.remote.tls.caCertificate is required: the PEM certificate of the CA that signed the server's certificate",
        ],
        ["text that is not PEM", tls("my CA"), NOT_PEM],
        ["a certificate with text after it", tls(`${CA_PEM}trailing words`), NOT_PEM],
        [
            "a private key",
            tls(`${CA_PEM}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n`),
            "args.logging.remote.tls.caCertificate contains a private key; give only the CA's certificate, which is public",
        ],
        [
            "an EC private key alone",
            tls("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"),
            "args.logging.remote.tls.caCertificate contains a private key; give only the CA's certificate, which is public",
        ],
        [
            "a public key",
            tls("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
            "args.logging.remote.tls.caCertificate block 1 is a PUBLIC KEY, not a CERTIFICATE",
        ],
        [
            "a certificate block that is not a certificate",
            tls(`${CA_PEM}-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n`),
            "args.logging.remote.tls.caCertificate block 2 is not a valid X.509 certificate",
        ],
        [
            "an IP host without a permitted peer",
            { remote: { host: "192.0.2.10", tls: { caCertificate: CA_PEM } } },
            "args.logging.remote.tls.permittedPeer is required when host is an IP address (192.0.2.10): the name in the server's certificate",
        ],
        [
            "a permitted peer with a space",
            { remote: { host: "logs.example.com", tls: { caCertificate: CA_PEM, permittedPeer: "logs example" } } },
            'args.logging.remote.tls.permittedPeer must be the DNS name in the server\'s certificate, such as logs.example.com or *.example.com, got "logs example"',
        ],
        [
            "a bare wildcard peer",
            { remote: { host: "logs.example.com", tls: { caCertificate: CA_PEM, permittedPeer: "*" } } },
            'args.logging.remote.tls.permittedPeer must be the DNS name in the server\'s certificate, such as logs.example.com or *.example.com, got "*"',
        ],
    ];

    for (const [title, args, message] of cases) {
        it(`refuses ${title}`, () => {
            assert.throws(
                () => validateLoggingArgs(args as LoggingArgs, CTX),
                (e: unknown) => e instanceof ArgumentError && e.message === message,
            );
        });
    }

    it("never repeats the certificate text in its messages", () => {
        const secretish = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n";
        assert.throws(
            () => validateLoggingArgs(tls(secretish) as LoggingArgs, CTX),
            (e: unknown) => e instanceof Error && !e.message.includes("c2VjcmV0"),
        );
    });
});
