import { ArgumentError, waiverReason } from "../common/errors";
import type { DockerDaemon } from "../daemon/dockerDaemon";
import { validateDataRoot } from "../host/dataVolume";
import type { HardenedHost } from "../host/hardenedHost";
import { KERNEL_SYSCTL_PATH } from "../host/kernel/render";
import type { ComplianceAuditArgs } from "./args";
import type { CollectorPlan } from "./collect";
import { compareCisIds } from "../../policy-pack/lib/rules/cisIds";
import { AUDIT_CHECKS, type AuditPolicy, type ControlWaiver } from "./evaluate";

/** Everything the audit needs, validated: what to collect and how to judge it. */
export interface AuditPlan {
    collector: CollectorPlan;
    policy: AuditPolicy;
}

const USER = /^[a-z_][a-z0-9_-]{0,31}$/;

/** The CIS ids the audit checks, in order. */
export function auditedControls(): string[] {
    return [...new Set(AUDIT_CHECKS.map((c) => c.cis))].sort(compareCisIds);
}

function controlId(argument: string, id: unknown): string {
    const known = auditedControls();
    if (typeof id !== "string" || !known.includes(id)) {
        throw new ArgumentError(
            argument,
            `must be a CIS id the audit checks (${known.join(", ")}), got ${JSON.stringify(id)}`,
        );
    }
    return id;
}

/** `key = value` lines of a sysctl.d file, as the kernel step wrote them. */
export function parseSysctlFile(content: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of content.split("\n")) {
        const t = line.trim();
        if (t === "" || t.startsWith("#") || t.startsWith(";") || !t.includes("=")) {
            continue;
        }
        const i = t.indexOf("=");
        out[t.slice(0, i).trim()] = t.slice(i + 1).trim();
    }
    return out;
}

/** Validates ComplianceAudit's plain arguments. Throws ArgumentError naming the argument. */
export function planAudit(
    args: ComplianceAuditArgs,
    host?: Pick<HardenedHost, "plan" | "dataRoot">,
    daemon?: Pick<DockerDaemon, "waivers">,
): AuditPlan {
    if (args === undefined || args === null) {
        throw new ArgumentError("args", "are required: connection");
    }
    if (args.connection === undefined || args.connection === null) {
        throw new ArgumentError(
            "args.connection",
            "is required: the SSH connection to the host (HardenedHost's connection)",
        );
    }
    const dataRoot = validateDataRoot(args.dataRoot ?? host?.dataRoot ?? "/var/lib/docker");
    if (host !== undefined && args.dataRoot !== undefined && dataRoot !== host.dataRoot) {
        throw new ArgumentError(
            "args.dataRoot",
            `is ${dataRoot}, but the host's data root is ${host.dataRoot}; leave it out`,
        );
    }
    const sshUser = args.sshUser ?? host?.plan.ctx.connectionUser ?? "root";
    if (typeof sshUser !== "string" || !USER.test(sshUser)) {
        throw new ArgumentError(
            "args.sshUser",
            `must be a user name ([a-z_][a-z0-9_-]*), got ${JSON.stringify(sshUser)}`,
        );
    }
    let members: string[];
    if (args.dockerGroupMembers !== undefined) {
        if (!Array.isArray(args.dockerGroupMembers)) {
            throw new ArgumentError("args.dockerGroupMembers", 'must be a list of user names, such as ["deploy"]');
        }
        members = args.dockerGroupMembers.map((m, i) => {
            if (typeof m !== "string" || !USER.test(m)) {
                throw new ArgumentError(
                    `args.dockerGroupMembers[${i}]`,
                    `must be a user name, got ${JSON.stringify(m)}`,
                );
            }
            return m;
        });
    } else {
        members = host?.plan.dockerGroupMembers ?? [];
    }
    let mandatory: "all" | string[] = "all";
    if (args.mandatory !== undefined && args.mandatory !== "all") {
        if (!Array.isArray(args.mandatory)) {
            throw new ArgumentError(
                "args.mandatory",
                `must be "all" or a list of CIS ids, got ${JSON.stringify(args.mandatory)}`,
            );
        }
        mandatory = args.mandatory.map((id, i) => controlId(`args.mandatory[${i}]`, id));
    }
    const waivers: ControlWaiver[] = [];
    if (args.waivers !== undefined) {
        if (typeof args.waivers !== "object" || args.waivers === null || Array.isArray(args.waivers)) {
            throw new ArgumentError(
                "args.waivers",
                'must be an object of CIS id to { reason }, such as { "2.12": { reason: "..." } }',
            );
        }
        for (const [id, w] of Object.entries(args.waivers)) {
            controlId(`args.waivers["${id}"]`, id);
            const reason = waiverReason(`args.waivers["${id}"]`, w)!;
            waivers.push({ cis: id, by: `ComplianceAudit args.waivers["${id}"]`, reason });
        }
    }
    if (host?.plan.noRemoteLoggingReason !== undefined) {
        waivers.push({
            cis: "2.13",
            by: "HardenedHost args.waivers.noRemoteLogging",
            reason: host.plan.noRemoteLoggingReason,
        });
    }
    for (const w of daemon?.waivers ?? []) {
        waivers.push({ cis: w.cis, by: `DockerDaemon ${w.argument}`, reason: w.reason });
    }
    const kernelFile = host?.plan.steps
        .find((s) => s.id === "kernel")
        ?.files.find((f) => f.path === KERNEL_SYSCTL_PATH);
    const sysctl = kernelFile === undefined ? {} : parseSysctlFile(kernelFile.content);
    return {
        collector: { dataRoot, sshUser, sysctlKeys: Object.keys(sysctl) },
        policy: {
            expectations: {
                dataRoot,
                dockerGroupMembers: members,
                sysctl,
                hardenedHost: host !== undefined,
                remoteLogging: host !== undefined && host.plan.steps.some((s) => s.id === "logging"),
                // Filled in where the containers' ids are known (the component's report).
                containerWaivers: {},
                containerSeccomp: {},
                containerAppArmor: {},
                ...(host === undefined
                    ? { hostFileModes: [] }
                    : {
                          loginUsers: host.plan.accounts.loginUsers,
                          hostFileModes: host.plan.hygiene.files,
                          shell: {
                              umask: host.plan.hygiene.umask,
                              idleTimeoutSeconds: host.plan.hygiene.idleTimeoutSeconds,
                          },
                      }),
            },
            waivers: waivers.sort((a, b) => compareCisIds(a.cis, b.cis)),
            mandatory,
        },
    };
}
