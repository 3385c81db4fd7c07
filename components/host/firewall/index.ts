export * from "./args";
export { FIREWALL_DEFAULTS } from "./defaults";
export {
    FIREWALL_ROLLBACK_UNIT,
    FIREWALL_RULESET_PATH,
    FIREWALL_TABLE,
    FIREWALL_UNIT,
    firewallConfirmFiles,
    firewallRulesetHash,
    renderFirewall,
    renderFirewallConfirm,
    renderFirewallRuleset,
    renderFirewallUnit,
    renderNftablesDropIn,
} from "./render";
export { validateFirewallArgs } from "./validate";
export type { FirewallPlan, FirewallPortPlan, SourcePlan } from "./validate";
