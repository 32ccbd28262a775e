#!/usr/bin/env bash
# The official Flink image's entrypoint contract: `jobmanager` and `taskmanager` run a session cluster's
# processes in the foreground; any other command runs as given (e.g. `flink run ...`). FLINK_PROPERTIES
# (one "key: value" per line) and JOB_MANAGER_RPC_ADDRESS override conf/config.yaml. Started as root, the
# processes run as user flink.
set -euo pipefail
conf="$FLINK_HOME/conf/config.yaml"

set_option() {
  sed -i "/^${1//./\\.}:/d" "$conf"
  echo "$1: $2" >> "$conf"
}

prepare_configuration() {
  [ -z "${JOB_MANAGER_RPC_ADDRESS:-}" ] || set_option jobmanager.rpc.address "$JOB_MANAGER_RPC_ADDRESS"
  [ -z "${TASK_MANAGER_NUMBER_OF_TASK_SLOTS:-}" ] || set_option taskmanager.numberOfTaskSlots "$TASK_MANAGER_NUMBER_OF_TASK_SLOTS"
  while IFS= read -r line; do
    [[ $line =~ ^[[:space:]]*([^:#[:space:]]+):[[:space:]]*(.*)$ ]] || continue
    set_option "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
  done <<< "${FLINK_PROPERTIES:-}"
}

as_flink() {
  if [ "$(id -u)" = 0 ]; then exec setpriv --reuid=flink --regid=flink --init-groups "$@"; else exec "$@"; fi
}

case "${1:-help}" in
  jobmanager | taskmanager)
    prepare_configuration
    as_flink "$FLINK_HOME/bin/flink-console" "$@" ;;
  standalone-job)
    # Flink's application-mode entrypoint ships only inside flink-dist, which is not on Maven Central.
    echo "error: this stand-in image has no standalone-job (flink-dist is not on Maven Central); use jobmanager and taskmanager with 'flink run'" >&2
    exit 2 ;;
  help)
    echo "usage: jobmanager | taskmanager | COMMAND [ARGS...]   (FLINK_PROPERTIES: extra config.yaml lines)" ;;
  *)
    prepare_configuration
    as_flink "$@" ;;
esac
