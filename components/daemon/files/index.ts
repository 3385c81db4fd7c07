export * from "./args";
export * from "./defaults";
export * from "./render";
export * from "./validate";
