export * from "./args";
export { ACCOUNTS_DEFAULTS } from "./defaults";
export { ACCOUNTS_MAIN, renderAccounts } from "./render";
export { validateAccountsArgs, type AccountsPlan } from "./validate";
