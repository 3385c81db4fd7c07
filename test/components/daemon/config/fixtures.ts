// Test material for the daemon configuration tests: a CA; a server certificate for
// docker.example.com, 192.0.2.10 and 127.0.0.1 (valid until 2126) and its key; a client
// certificate and its key; an unrelated key; the server certificate expired; the server key
// encrypted. Made for these tests with openssl; secret to nobody.
import type { HostContext } from "../../../../components/host/step";

export const CTX: HostContext = { connectionUser: "admin", sshPort: 22, dataRoot: "/var/lib/docker" };

/** A minimal set of arguments that validates: the syslog server, and the authorization plugin waived. */
export const MINIMAL = Object.freeze({
    syslogAddress: "tcp+tls://logs.example.com:6514",
    waivers: Object.freeze({
        noAuthorizationPlugin: Object.freeze({ reason: "no authorization plugin is packaged for Debian" }),
    }),
});

/** The CA that signed the server certificate (and, in these tests, the clients'). */
export const CA_PEM = [
    "-----BEGIN CERTIFICATE-----",
    "MIIBuDCCAV+gAwIBAgIURzhuz7Bm330Ihlqf/L6w9XOGd1cwCgYIKoZIzj0EAwIw",
    "KTEnMCUGA1UEAwweaGFyZGVuZWQtZG9ja2VyIHRlc3QgZGFlbW9uIENBMCAXDTI2",
    "MTEyODIyMjgwMVoYDzIxMjYxMTA0MjIyODAxWjApMScwJQYDVQQDDB5oYXJkZW5l",
    "ZC1kb2NrZXIgdGVzdCBkYWVtb24gQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC",
    "AAQZHNxsCVQ5GTkdr/FfzK9UHV5tVdk0wKxX1IsKQqFLqo/gXTJcYbF/ECUT2ono",
    "E5OGfvIig1Tn49gLxdHGCvC2o2MwYTAdBgNVHQ4EFgQU+Bd8nzoQpmrcFUk5ij7Q",
    "rahGy/EwHwYDVR0jBBgwFoAU+Bd8nzoQpmrcFUk5ij7QrahGy/EwDwYDVR0TAQH/",
    "BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwCgYIKoZIzj0EAwIDRwAwRAIgWfBM8JAJ",
    "0Yk9azmxtW+eEgO6YrTxviXW5dDWk+zP9fUCIBFBET5GAAFWshmzdZHQhZ68ffZc",
    "9Ke2x44CicAD93Dj",
    "-----END CERTIFICATE-----",
    "",
].join("\n");

/** The server's certificate: docker.example.com, 192.0.2.10, 127.0.0.1. */
export const SERVER_CERT_PEM = [
    "-----BEGIN CERTIFICATE-----",
    "MIIB3TCCAYSgAwIBAgIUYP8CyBSvZZzu5euAYp9S6UqzaDswCgYIKoZIzj0EAwIw",
    "KTEnMCUGA1UEAwweaGFyZGVuZWQtZG9ja2VyIHRlc3QgZGFlbW9uIENBMCAXDTI2",
    "MTEyODIyMjgwMloYDzIxMjYxMTA0MjIyODAyWjAdMRswGQYDVQQDDBJkb2NrZXIu",
    "ZXhhbXBsZS5jb20wWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARrLCCwfOuhhgvj",
    "5ZtET0ErcLOGkzOGm3PJCGDAgYtlIaqyzE20SS3RuGCiDMYXveBTBuu84A8VbT3h",
    "VdHIhn59o4GTMIGQMCkGA1UdEQQiMCCCEmRvY2tlci5leGFtcGxlLmNvbYcEwAAC",
    "CocEfwAAATATBgNVHSUEDDAKBggrBgEFBQcDATAOBgNVHQ8BAf8EBAMCB4AwHQYD",
    "VR0OBBYEFGWIGTWWJR29pIdjZJC3tARfSP9aMB8GA1UdIwQYMBaAFPgXfJ86EKZq",
    "3BVJOYo+0K2oRsvxMAoGCCqGSM49BAMCA0cAMEQCIA42zaFeXxBviIN0t8wuHB0Y",
    "jsbcj7cN06+nZpx/E5PIAiBa6TxYRl/uPe0qi1A5HRdLuv+Gts/XQjy56alVj7aX",
    "iQ==",
    "-----END CERTIFICATE-----",
    "",
].join("\n");

/** The server certificate's key (P-256, PKCS#8). */
export const SERVER_KEY_PEM = [
    "-----BEGIN PRIVATE KEY-----",
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgE1HgjUHvpM2W3jWG",
    "gisXAN/ok9g9irfil9Ngczv47fOhRANCAARrLCCwfOuhhgvj5ZtET0ErcLOGkzOG",
    "m3PJCGDAgYtlIaqyzE20SS3RuGCiDMYXveBTBuu84A8VbT3hVdHIhn59",
    "-----END PRIVATE KEY-----",
    "",
].join("\n");

/** A key that matches no certificate here. */
export const OTHER_KEY_PEM = [
    "-----BEGIN PRIVATE KEY-----",
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWR/DF2gX1hjozUs4",
    "Hu6kTlrlh2GSrQ73Kxtcopy7to6hRANCAAShTdveCCSuz85+I447ChS5gK1scCSe",
    "8h6BW2wdyeEVV9DvwzQ56mWl4hKUeLvENy9AZ4ev8+h+4rdV7J93JHTA",
    "-----END PRIVATE KEY-----",
    "",
].join("\n");

/** The server's certificate, valid in 2020 only. */
export const EXPIRED_CERT_PEM = [
    "-----BEGIN CERTIFICATE-----",
    "MIIBLjCB1QICEAAwCgYIKoZIzj0EAwIwKTEnMCUGA1UEAwweaGFyZGVuZWQtZG9j",
    "a2VyIHRlc3QgZGFlbW9uIENBMB4XDTIwMDEwMTAwMDAwMFoXDTIxMDEwMTAwMDAw",
    "MFowHTEbMBkGA1UEAwwSZG9ja2VyLmV4YW1wbGUuY29tMFkwEwYHKoZIzj0CAQYI",
    "KoZIzj0DAQcDQgAEaywgsHzroYYL4+WbRE9BK3CzhpMzhptzyQhgwIGLZSGqssxN",
    "tEkt0bhgogzGF73gUwbrvOAPFW094VXRyIZ+fTAKBggqhkjOPQQDAgNIADBFAiEA",
    "/O9Xhn81x0RvTudjvCjyweHn0ejtpatYiml/DOzZrFUCIDFcL+3Bz9/D90+eEMJM",
    "JD/VAXDHBMbowML1MHq5jH6f",
    "-----END CERTIFICATE-----",
    "",
].join("\n");

/** The server key, encrypted with a passphrase. */
export const ENCRYPTED_KEY_PEM = [
    "-----BEGIN ENCRYPTED PRIVATE KEY-----",
    "MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAgigaPk6sHZZwICCAAw",
    "DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEAmj4wfZO0VnppdyVB4VDyIEgZAq",
    "03khABg3RHtHErEPuN63rroIL9X2NbY1kzOeNQNGfZ/Da7rTxn6E1lfPjD5VMRtb",
    "vjHLkRTou8e+M/GIMu+s9tFbBC00n7dBQ6RdSYXNdsHN6RKsX58fz5BWUkeeOjwu",
    "IfSeYk8i4ylckdPd+aKSiIMzelaVUjlTP+hot6dpvk3Lfx3pcN70rMWQXbpblr0=",
    "-----END ENCRYPTED PRIVATE KEY-----",
    "",
].join("\n");

/** A client certificate signed by the CA: what dockerd's tlsverify asks clients for. */
export const CLIENT_CERT_PEM = [
    "-----BEGIN CERTIFICATE-----",
    "MIIBuTCCAWCgAwIBAgIUYP8CyBSvZZzu5euAYp9S6UqzaDwwCgYIKoZIzj0EAwIw",
    "KTEnMCUGA1UEAwweaGFyZGVuZWQtZG9ja2VyIHRlc3QgZGFlbW9uIENBMCAXDTI2",
    "MTEyODIyNDI1MVoYDzIxMjYxMTA0MjI0MjUxWjAmMSQwIgYDVQQDDBtoYXJkZW5l",
    "ZC1kb2NrZXIgdGVzdCBjbGllbnQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASk",
    "WmkqOqRBrMNjdvtOjhGZ6N+kpDhLqwD0HD1zPGx4KTJtRXVL5xb/p2DzXHevWY1K",
    "GsA7bYshkk270lo9cQ3/o2cwZTATBgNVHSUEDDAKBggrBgEFBQcDAjAOBgNVHQ8B",
    "Af8EBAMCB4AwHQYDVR0OBBYEFGuZBOkoMLbtd7FqrQXOL/htGLMdMB8GA1UdIwQY",
    "MBaAFPgXfJ86EKZq3BVJOYo+0K2oRsvxMAoGCCqGSM49BAMCA0cAMEQCIGzNO0wD",
    "O0N0dkzPNRMLzNhQsczyEkzHJ/CfLauQebRmAiBSn0Ew3wTWYS2eBbX3/uEfx32u",
    "eMxrEyH3lgSCw9IR0g==",
    "-----END CERTIFICATE-----",
    "",
].join("\n");

/** The client certificate's key. */
export const CLIENT_KEY_PEM = [
    "-----BEGIN PRIVATE KEY-----",
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgIoYd8ZUk7f6Oe32A",
    "AaMdegHUK+/R/sccjAZKrnI5NHehRANCAASkWmkqOqRBrMNjdvtOjhGZ6N+kpDhL",
    "qwD0HD1zPGx4KTJtRXVL5xb/p2DzXHevWY1KGsA7bYshkk270lo9cQ3/",
    "-----END PRIVATE KEY-----",
    "",
].join("\n");
