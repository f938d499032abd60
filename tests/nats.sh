#!/usr/bin/env bash
# Starts a throwaway 3-server NATS JetStream cluster on 127.0.0.1 and exports SOLVENT_NATS (comma-separated URLs).
# Source it (". tests/nats.sh"); nats_stop stops the servers and removes their directory (test.sh traps it on exit).
# Installs Debian's nats-server with apt when missing and we are root. The replication tests start their own
# servers from the same binary (they kill and restart them); this cluster is for commands run from test.sh.
nats_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

nats_start() {
  if ! command -v nats-server >/dev/null; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
      echo "setup installing nats-server (apt)"
      { apt-get install -y -q nats-server || { apt-get update -q && apt-get install -y -q nats-server; }; } >/dev/null 2>&1
    fi
  fi
  if ! command -v nats-server >/dev/null; then echo "setup nats-server: not available (replication tests are skipped)"; return 1; fi

  NATS_DIR=$(mktemp -d /tmp/solvent-nats.XXXXXX)
  local i ports=() cports=() routes="" urls=""
  for i in 0 1 2; do ports+=("$(nats_free_port)"); cports+=("$(nats_free_port)"); done
  for i in 0 1 2; do routes="$routes nats-route://127.0.0.1:${cports[$i]}"; urls="$urls${urls:+,}nats://127.0.0.1:${ports[$i]}"; done
  NATS_PIDS=()
  for i in 0 1 2; do
    cat >"$NATS_DIR/n$i.conf" <<CONF
server_name: n$i
listen: 127.0.0.1:${ports[$i]}
jetstream { store_dir: "$NATS_DIR/n$i" }
cluster { name: solvent, listen: 127.0.0.1:${cports[$i]}, routes: [$(echo $routes | sed 's/ /, /g')] }
CONF
    nats-server -c "$NATS_DIR/n$i.conf" >"$NATS_DIR/n$i.log" 2>&1 &
    NATS_PIDS+=($!)
  done
  export SOLVENT_NATS="$urls"
  echo "setup nats-server: $(nats-server --version | awk '{print $2}') cluster of 3 at $urls"
}

nats_stop() {
  local p
  for p in "${NATS_PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
  for p in "${NATS_PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null; done
  if [ -n "${NATS_DIR:-}" ]; then rm -rf "$NATS_DIR"; fi
}
