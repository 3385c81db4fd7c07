export * from "./args";
export { DOCKER_GROUP_DEFAULTS } from "./defaults";
export { DOCKER_GROUP_MAIN, renderDockerGroup } from "./render";
export { validateDockerGroupArgs, type DockerGroupPlan } from "./validate";
