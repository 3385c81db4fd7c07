import { daemonJsonPolicy, has, show } from "../../lib/daemonPolicy";

/**
 * Whether dockerd listens on TCP for a `hosts` entry: `tcp://...`, or an address without a scheme
 * (dockerd reads `0.0.0.0:2375` as TCP). An empty entry is the Unix socket (the TLS default when
 * tlsverify is on); other schemes are not TCP, and dockerd refuses unknown ones.
 */
function isTcp(entry: unknown): entry is string {
    if (typeof entry !== "string") {
        return false;
    }
    const h = entry.trim();
    return h !== "" && (h.startsWith("tcp://") || !h.includes("://"));
}

const FILES = ["tlscacert", "tlscert", "tlskey"];

/** CIS 2.7: a TCP socket requires TLS with client verification. */
export const daemonRequireTlsVerify = daemonJsonPolicy(
    {
        name: "docker-daemon-require-tls-verify",
        description: "The Docker daemon must require TLS with client certificates on every TCP socket.",
        cis: "2.7",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediation:
            'set "tlsverify": true with "tlscacert", "tlscert" and "tlskey" in daemon.json (DockerDaemon\'s config.tls does), or remove the tcp:// entries from "hosts" and reach the daemon over SSH.',
    },
    [
        (j, s) => {
            const tcp = (Array.isArray(j.hosts) ? j.hosts : []).filter(isTcp);
            if (tcp.length === 0) {
                return undefined;
            }
            const missing: string[] = [];
            if (j.tlsverify !== true) {
                const alone = j.tls === true ? ' ("tls" alone does not verify clients)' : "";
                missing.push(`"tlsverify" is ${has(j, "tlsverify") ? show(j.tlsverify) : "unset"}${alone}`);
            }
            for (const f of FILES) {
                if (typeof j[f] !== "string" || (j[f] as string).trim() === "") {
                    missing.push(`"${f}" is ${has(j, f) ? show(j[f]) : "unset"}`);
                }
            }
            if (missing.length === 0) {
                return undefined;
            }
            const where = tcp.map((h) => show(h)).join(", ");
            return `${s} listens on ${where} in "hosts" without client verification: ${missing.join(", ")}; expected "tlsverify": true with "tlscacert", "tlscert" and "tlskey" (CIS 2.7).`;
        },
    ],
);
