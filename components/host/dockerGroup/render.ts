import { prelude } from "../shell";
import type { HostContext, HostStep } from "../step";
import type { DockerGroupPlan } from "./validate";

/** The last line of the script: tests run the script without it and call its functions instead. */
export const DOCKER_GROUP_MAIN = "docker_group_main";

/*
 * Every read goes through getent (so NSS sources count, as they do for the socket's permission
 * check) and every change through groupadd and gpasswd (which keep /etc/gshadow in step); tests
 * stand in for all three with fake commands on PATH.
 */
const BODY = `
# docker_group_members: the group's members, one per line, in the group's order.
docker_group_members() {
    local line
    local -a members
    line=$(getent group docker) || hd_die "the docker group does not exist"
    IFS=, read -ra members <<<"\${line##*:}"
    if [ "\${#members[@]}" -gt 0 ]; then
        printf '%s\\n' "\${members[@]}"
    fi
}

# docker_group_sync: adds the trusted users that are missing and removes every other member.
docker_group_sync() {
    local user member
    local -a current=()
    local -A trusted=() present=()
    for user in "\${DOCKER_GROUP_TRUSTED[@]}"; do
        trusted[$user]=1
    done
    mapfile -t current < <(docker_group_members)
    for member in "\${current[@]}"; do
        present[$member]=1
    done
    for user in "\${DOCKER_GROUP_TRUSTED[@]}"; do
        if [ -z "\${present[$user]:-}" ]; then
            gpasswd -a "$user" docker >/dev/null
            hd_log "changed: added $user to the docker group"
        fi
    done
    for member in "\${current[@]}"; do
        if [ -z "\${trusted[$member]:-}" ]; then
            gpasswd -d "$member" docker >/dev/null
            hd_log "changed: removed $member from the docker group (not in args.dockerGroup.trustedUsers)"
        fi
    done
}

# docker_group_primary: refuses a user outside the list whose primary group is docker: such a
# user reaches the socket without being a listed member, and changing a primary group is not this
# step's to do.
docker_group_primary() {
    local line gid name pgid user ok
    line=$(getent group docker) || hd_die "the docker group does not exist"
    IFS=: read -r _ _ gid _ <<<"$line"
    while IFS=: read -r name _ _ pgid _; do
        [ "$pgid" = "$gid" ] || continue
        ok=0
        for user in "\${DOCKER_GROUP_TRUSTED[@]}"; do
            if [ "$user" = "$name" ]; then
                ok=1
            fi
        done
        if [ "$ok" = 0 ]; then
            hd_die "user $name has docker as its primary group, which gives it the Docker socket: give it another primary group, or list it in args.dockerGroup.trustedUsers"
        fi
    done < <(getent passwd)
}

# docker_group_verify: the member list is exactly the trusted list.
docker_group_verify() {
    local want got
    want=$(IFS=,; printf '%s' "\${DOCKER_GROUP_TRUSTED[*]}")
    got=$(docker_group_members | sort | paste -sd, -)
    [ "$got" = "$want" ] || hd_die "the docker group's members are \\"$got\\", expected \\"$want\\""
}

docker_group_main() {
    local user
    # Every listed user must exist before anything changes.
    for user in "\${DOCKER_GROUP_TRUSTED[@]}"; do
        getent passwd "$user" >/dev/null || hd_die "user $user (args.dockerGroup.trustedUsers) does not exist on this host"
    done
    if ! getent group docker >/dev/null; then
        groupadd -r docker
        hd_log "changed: created the docker group"
    fi
    docker_group_sync
    docker_group_primary
    docker_group_verify
}
`;

/** The docker-group step: the group exists and its members are exactly the trusted users (CIS 1.1.2). */
export function renderDockerGroup(plan: DockerGroupPlan, _ctx: HostContext): HostStep {
    const script = [
        prelude("docker-group"),
        "# The users who may control Docker (args.dockerGroup.trustedUsers), sorted.",
        `DOCKER_GROUP_TRUSTED=(${plan.trustedUsers.join(" ")})`,
        BODY,
        DOCKER_GROUP_MAIN,
        "",
    ].join("\n");
    return {
        id: "docker-group",
        title:
            plan.trustedUsers.length === 0
                ? "The docker group exists and has no members: only root controls Docker"
                : `The docker group exists and its members are exactly: ${plan.trustedUsers.join(", ")}`,
        cis: ["1.1.2"],
        script,
        files: [],
        secret: false,
    };
}
