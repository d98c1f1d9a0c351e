#!/usr/bin/env bash
# A throwaway MQTT broker for the Frigate bridge tests: Debian's mosquitto on 127.0.0.1 and a free port, with a password
# file (anonymous clients refused).
#   scripts/mosquitto.sh install          installs Debian's mosquitto when missing
#   eval "$(scripts/mosquitto.sh start)"  prints export lines: VISAGE_TEST_MQTT (mqtt://USER:PASSWORD@127.0.0.1:PORT)
#                                         and VISAGE_TEST_MQTT_DIR
#   scripts/mosquitto.sh halt DIR         stops the broker, keeping its files (the broker going away, for fault tests)
#   scripts/mosquitto.sh resume DIR       starts it again on the same port
#   scripts/mosquitto.sh stop DIR         stops it and deletes its files
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "mosquitto.sh: $*" >&2; }

install() { scripts/ensure-debian.sh /usr/sbin/mosquitto mosquitto; }

free_port() { scripts/free-port.sh; }

run() {
  local dir=$1
  /usr/sbin/mosquitto -c "$dir/mosquitto.conf" -d
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$(cat "$dir/port")") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  log "the broker did not start: $(tail -n 5 "$dir/mosquitto.log" 2>/dev/null)"; return 1
}

start() {
  install
  local dir port password
  dir=$(mktemp -d /tmp/visage-mqtt.XXXXXX)
  chmod 755 "$dir"
  port=$(free_port)
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  echo "$port" >"$dir/port"
  mosquitto_passwd -c -b "$dir/passwords" visage "$password" >/dev/null
  cat >"$dir/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous false
password_file $dir/passwords
persistence false
pid_file $dir/mosquitto.pid
log_dest file $dir/mosquitto.log
CONF
  # As root the broker drops to the mosquitto user, which must read the password file and write the log.
  if [[ $(id -u) -eq 0 ]] && id mosquitto >/dev/null 2>&1; then chown -R mosquitto: "$dir"; fi
  run "$dir"
  log "mosquitto on 127.0.0.1:$port (files in $dir)"
  echo "export VISAGE_TEST_MQTT='mqtt://visage:$password@127.0.0.1:$port'"
  echo "export VISAGE_TEST_MQTT_DIR='$dir'"
}

halt() {
  local dir=${1:?usage: halt DIR} pid
  [[ -f $dir/mosquitto.pid ]] || return 0
  pid=$(cat "$dir/mosquitto.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
  kill -9 "$pid" 2>/dev/null || true
}

case ${1:-} in
  install) install ;;
  start) start ;;
  halt) halt "${2:-}" ;;
  resume) run "${2:?usage: resume DIR}" ;;
  stop) halt "${2:-}"; [[ -z ${2:-} ]] || rm -rf "$2" ;;
  *) echo "usage: $0 install | start | halt DIR | resume DIR | stop DIR" >&2; exit 2 ;;
esac
