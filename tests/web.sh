# The web app's browser check (sourced by test.sh after tests/chromium.sh): a dev node on a scratch data
# directory and a free port, driven by tests/conformance/web-app.js in Debian's Chromium.

# web_app DIR [REPORTS]: runs the check, screenshots into DIR; REPORTS is a directory holding a stress
# report.html the app must open. The node is stopped whatever happens.
web_app() {
  local dir=$1 reports=${2:-} data port pid rc
  rm -rf "$dir" && mkdir -p "$dir" && data=$(mktemp -d) || return 1
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  Solvent__DataDir="$data" Solvent__ReportsDir="$reports" ./solvent node --dev --urls "http://127.0.0.1:$port" >"$dir/node.log" 2>&1 &
  pid=$!
  (cd tests/conformance && WEB_APP_ACCOUNTS=10000 WEB_APP_REPORTS=$([ -n "$reports" ] && echo 1) WEB_APP_RENDER_BUDGET_MS=${WEB_APP_RENDER_BUDGET_MS:-2500} timeout 240 node web-app.js "http://127.0.0.1:$port" "$dir" "$CHROMIUM")
  rc=$?
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  rm -rf "$data"
  return $rc
}
