#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the indexer tests and exports SOLVENT_PG.
# Source it (". tests/pg.sh"); pg_stop stops the cluster and removes its directory (test.sh traps it on exit).
# Installs Debian's postgresql with apt when initdb is missing and we are root; initdb refuses root,
# so as root the cluster runs as the postgres user in a directory it owns.
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

pg_start() {
  local bin; bin=$(pg_bin)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
      echo "setup installing postgresql (apt)"
      { apt-get install -y -q postgresql || { apt-get update -q && apt-get install -y -q postgresql; }; } >/dev/null 2>&1
      bin=$(pg_bin)
    fi
  fi
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then echo "setup postgresql: not available (indexer tests will fail)"; return 1; fi

  PG_DIR=$(mktemp -d /tmp/solvent-pg.XXXXXX)
  local run=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_DIR"; run=(runuser -u postgres --); fi
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U solvent --auth=trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
    -o "-h 127.0.0.1 -p $port -k $PG_DIR -c fsync=on -c max_connections=50" start >/dev/null 2>&1 || { cat "$PG_DIR/server.log"; return 1; }
  PG_RUN="${run[*]}"
  PG_CTL="$bin/pg_ctl"
  export SOLVENT_PG="Host=127.0.0.1;Port=$port;Username=solvent;Database=postgres"
  echo "setup postgresql: $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

pg_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    $PG_RUN "$PG_CTL" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
