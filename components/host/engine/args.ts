/**
 * The Docker engine (CIS 1.2.2: a current release) and AppArmor, which Debian's and Docker's
 * dockerd need to confine containers with the `docker-default` profile (CIS 5.2). The daemon's
 * configuration (`daemon.json`) belongs to another step.
 */
export interface EngineArgs {
    /**
     * Where the engine comes from: `distribution`, the distribution's `docker.io` package (Debian
     * 12: 20.10 with security fixes from the Debian security team, signed by keys the host already
     * trusts); or `docker`, Docker's own apt repository at download.docker.com (current releases:
     * `docker-ce`, `docker-ce-cli`, `containerd.io`), whose signing key is fetched over HTTPS and
     * trusted only when its fingerprint is 9DC858229FC7DD38854AE2D88D81803C0EBFCD88. Moving from
     * `docker` back to `distribution` would downgrade Docker and is refused on the host.
     * @default "distribution"
     */
    source?: "distribution" | "docker";
    /**
     * `latest`: install the newest version and upgrade to each new one on every run (CIS 1.2.2).
     * Or an exact Debian package version (`20.10.24+dfsg1-1+b3`, `5:27.3.1-1~debian.12~bookworm`),
     * installed and held with `apt-mark hold` so unattended upgrades leave it alone; a host with a
     * newer version is refused rather than downgraded.
     * @default "latest"
     */
    version?: string;
}
