#!/usr/bin/env bash
# ssh into the running sandbox as admin, with its key and its pinned host key. The arguments are
# the remote command (none: a login shell). Examples:
#   bash scripts/sandbox/ssh.sh                      # interactive shell
#   bash scripts/sandbox/ssh.sh sudo docker info     # one command
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

env_file=$SANDBOX_RUN/sandbox.env
sandbox_pid >/dev/null || sandbox_die "no sandbox is running (run dir $SANDBOX_RUN); start one: bash scripts/sandbox/up.sh"
[ -f "$env_file" ] || sandbox_die "$env_file is missing: the sandbox has not finished booting"
SANDBOX_SSH_PORT="" SANDBOX_KEY="" SANDBOX_KNOWN_HOSTS=""
# shellcheck source=/dev/null
. "$env_file"

mapfile -t ssh_args < <(sandbox_ssh_args "$SANDBOX_KEY" "$SANDBOX_KNOWN_HOSTS" "$SANDBOX_SSH_PORT")
if [ "$#" -eq 0 ] && [ -t 0 ]; then ssh_args+=(-t); fi
exec ssh "${ssh_args[@]}" "$SANDBOX_USER@$SANDBOX_HOST" "$@"
