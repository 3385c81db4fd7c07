import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");
const APP_TEAM = join(ROOT, "examples/app-team");
const ROOT_PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    name: string;
    version: string;
    dependencies: Record<string, string>;
};
const LOCK = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string }>;
};
const IMAGE =
    "docker.io/nginxinc/nginx-unprivileged@sha256:62a904036bfc0e4a4f2b556e34cbf17bc136b47fde8cdb4628762725f48c5782";

interface Registered {
    type: string;
    name: string;
    id: string | null;
    inputs: Record<string, unknown>;
}
interface MockRun {
    library: string;
    registered: Registered[];
    outputs: Record<string, unknown>;
}

/** Runs a command; fails the test with its output when it does not exit 0. */
function sh(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): string {
    const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 240000, env: { ...process.env, ...env } });
    if (r.error !== undefined) {
        throw r.error;
    }
    assert.equal(r.status, 0, `${cmd} ${args.join(" ")} in ${cwd} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
}

/** The consumer's compiled program under mocks, with this stack config (`app-team:` keys). */
function runUnderMocks(dir: string, config: Record<string, string>) {
    const env = {
        PULUMI_CONFIG: JSON.stringify(Object.fromEntries(Object.entries(config).map(([k, v]) => [`app-team:${k}`, v]))),
    };
    return spawnSync("node", ["runUnderMocks.js"], {
        cwd: dir,
        encoding: "utf8",
        timeout: 60000,
        env: { ...process.env, ...env },
    });
}

const BASE_CONFIG = { trustedRegistries: JSON.stringify(["docker.io/nginxinc"]), image: IMAGE, port: "8080" };

/**
 * The library as another project gets it: `npm pack`, the tarball installed into a copy of
 * examples/app-team (an application team's stack), type-checked and compiled by the consumer's own
 * TypeScript, and run under mocks with the consumer's own @pulumi/pulumi. A missing export, file or
 * declaration in the package fails here.
 */
describe("the packed library in a consumer project (examples/app-team)", function () {
    this.timeout(600000);
    let work: string;
    let app: string;
    let packed: { filename: string; files: { path: string }[] };
    let run: MockRun;

    before(() => {
        work = mkdtempSync(join(tmpdir(), "hd-consumer-"));
        app = join(work, "app");
        mkdirSync(app);
        // npm pack runs the build (prepare) first: the tarball holds what the sources compile to now.
        const out = JSON.parse(sh("npm", ["pack", "--json", "--pack-destination", work], ROOT)) as (typeof packed)[];
        assert.equal(out.length, 1);
        packed = out[0];
        for (const f of ["Pulumi.yaml", "package.json", "tsconfig.json", "index.ts", "config.ts"]) {
            copyFileSync(join(APP_TEAM, f), join(app, f));
        }
        copyFileSync(join(__dirname, "runUnderMocks.js"), join(app, "runUnderMocks.js"));
        // The library's own dependencies at the versions this repository's tests ran with (its lock),
        // so that the install is the same on every run and comes from npm's cache.
        const pkg = JSON.parse(readFileSync(join(app, "package.json"), "utf8")) as Record<string, unknown>;
        pkg.overrides = Object.fromEntries(
            Object.keys(ROOT_PACKAGE.dependencies).map((d) => [d, LOCK.packages[`node_modules/${d}`].version]),
        );
        writeFileSync(join(app, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
        sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(work, packed.filename)], app);
        // The consumer's TypeScript, with the library's declarations only (no path mapping to sources).
        sh("node", ["node_modules/typescript/bin/tsc", "-p", "."], app);
        const r = runUnderMocks(app, { platformStack: "acme/hardened-docker/prod", ...BASE_CONFIG });
        assert.equal(r.status, 0, r.stderr);
        run = JSON.parse(r.stdout) as MockRun;
    });

    after(() => {
        if (work !== undefined) {
            rmSync(work, { recursive: true, force: true });
        }
    });

    it("packs the compiled entry point, its declarations and the changelog, and nothing else", () => {
        assert.equal(packed.filename, `${ROOT_PACKAGE.name}-${ROOT_PACKAGE.version}.tgz`);
        const paths = packed.files.map((f) => f.path);
        for (const p of [
            "package.json",
            "README.md",
            "CHANGELOG.md",
            "dist/components/index.js",
            "dist/components/index.d.ts",
            "dist/components/host/hardenedHost.js",
            "dist/components/compliance/complianceAudit.d.ts",
            "dist/policy-pack/lib/rules/imageRef.js",
        ]) {
            assert.ok(paths.includes(p), `the package holds ${p}`);
        }
        const stray = paths.filter(
            (p) =>
                !["package.json", "README.md", "CHANGELOG.md"].includes(p) &&
                !/^dist\/(components|policy-pack\/lib\/rules)\/.*\.(js|d\.ts)$/.test(p),
        );
        assert.deepEqual(stray, []);
    });

    it("installs the library, its dependencies at the tested versions and the peer SDK", () => {
        const version = (p: string) =>
            (JSON.parse(readFileSync(join(app, "node_modules", p, "package.json"), "utf8")) as { version: string })
                .version;
        assert.equal(version("hardened-docker"), ROOT_PACKAGE.version);
        assert.equal(version("@pulumi/pulumi"), LOCK.packages["node_modules/@pulumi/pulumi"].version);
        for (const d of Object.keys(ROOT_PACKAGE.dependencies)) {
            assert.equal(version(d), LOCK.packages[`node_modules/${d}`].version, d);
        }
        assert.equal(run.library, join(app, "node_modules/hardened-docker/dist/components/index.js"));
    });

    it("registers the service from the installed package, on the host the platform stack exports", () => {
        assert.deepEqual(
            run.registered.map((r) => `${r.type}::${r.name}`),
            [
                "pulumi:pulumi:StackReference::acme/hardened-docker/prod",
                "pulumi:providers:docker::platform-docker",
                "hardened-docker:network:HardenedNetwork::team-net",
                "hardened-docker:container:HardenedContainer::service",
                "docker:index/network:Network::team-net",
                "docker:index/container:Container::service",
                "command:local:Command::service-pids-limit",
            ],
        );
        const get = (type: string) => run.registered.find((r) => r.type === type)!.inputs;
        assert.equal(run.registered[0].id, "acme/hardened-docker/prod");
        assert.equal(get("pulumi:providers:docker").host, "ssh://admin@192.0.2.10:22");
        const c = get("docker:index/container:Container");
        assert.deepEqual(c.capabilities, { adds: [], drops: ["ALL"] });
        assert.equal(c.readOnly, true);
        assert.equal(c.user, "101:101");
        assert.equal(c.image, IMAGE);
        assert.ok((c.securityOpts as string[]).includes("no-new-privileges:true"), JSON.stringify(c.securityOpts));
        assert.deepEqual(c.ports, [{ internal: 8080, external: 8080, ip: "192.0.2.10", protocol: "tcp" }]);
        assert.deepEqual(get("command:local:Command").environment, { DOCKER_HOST: "ssh://admin@192.0.2.10:22" });
        assert.deepEqual(run.outputs, {
            containerName: "service",
            networkName: "team-net",
            url: "http://192.0.2.10:8080/",
        });
    });

    it("takes the endpoint from config instead of a platform stack", () => {
        const r = runUnderMocks(app, {
            dockerEndpoint: "ssh://deploy@198.51.100.7:2222",
            publishAddress: "2001:db8::7",
            ...BASE_CONFIG,
        });
        assert.equal(r.status, 0, r.stderr);
        const other = JSON.parse(r.stdout) as MockRun;
        assert.deepEqual(
            other.registered.map((x) => x.type).filter((t) => t === "pulumi:pulumi:StackReference"),
            [],
        );
        const c = other.registered.find((x) => x.type === "docker:index/container:Container")!.inputs;
        assert.deepEqual(c.ports, [{ internal: 8080, external: 8080, ip: "2001:db8::7", protocol: "tcp" }]);
        assert.equal(other.outputs.url, "http://[2001:db8::7]:8080/");
    });

    it("refuses config that names neither a platform stack nor an endpoint, naming the keys", () => {
        const r = runUnderMocks(app, BASE_CONFIG);
        assert.notEqual(r.status, 0);
        assert.match(
            r.stderr,
            /set app-team:platformStack \(the hardened host's stack, org\/project\/stack\), or both app-team:dockerEndpoint \(ssh:\/\/user@host:port\) and app-team:publishAddress \(the host's address\)/,
        );
    });
});
