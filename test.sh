#!/usr/bin/env bash
# Builds everything and runs every test suite; ends with "N passed, N failed".
# Needs the .NET SDK, Node.js (npm) and, on a fresh Debian machine, apt for the native fast paths.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

passed=0
failed=0
log=$(mktemp -d)

# What the fast paths and the checks below need, installed the way users get it with apt: Debian's
# libsecp256k1 (signature recovery; without it the BouncyCastle fallback runs), python3 (JSON checks),
# PostgreSQL (indexer), nats-server (replication) and Chromium (browser checks). Downloads overlap the
# build: apt and `npm ci` run in the background and are waited for before the first test needs them.
need=()
ldconfig -p 2>/dev/null | grep 'libsecp256k1\.so\.1 ' >/dev/null || need+=(libsecp256k1-1)
command -v python3 >/dev/null || need+=(python3)
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need+=(postgresql)
command -v nats-server >/dev/null || need+=(nats-server)
[ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ] || need+=(chromium)
apt_pid=
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "setup installing ${need[*]} (apt, in the background)"
    (export DEBIAN_FRONTEND=noninteractive
     { apt-get install -y -q "${need[@]}" || { apt-get update -q && apt-get install -y -q "${need[@]}"; }; } >"$log/apt.out" 2>&1) &
    apt_pid=$!
  else
    echo "setup missing ${need[*]} and not root with apt: continuing (fallbacks or skips say so below)"
  fi
fi
(cd tests/conformance && npm ci --no-audit --no-fund --silent) >"$log/npm.out" 2>&1 &
npm_pid=$!

# A throwaway PostgreSQL cluster for the indexer tests (SOLVENT_PG), stopped on exit.
. tests/pg.sh
# A 3-server NATS JetStream cluster (SOLVENT_NATS) for the replication commands, stopped on exit.
. tests/nats.sh
trap 'pg_stop; nats_stop' EXIT

check() { # check NAME COMMAND... : one pass/fail entry for a whole command, with its wall time
  local name=$1 t0=$SECONDS; shift
  if "$@" >"$log/$name.out" 2>&1; then
    passed=$((passed + 1)); echo "ok    $name ($((SECONDS - t0)) s)"
  else
    failed=$((failed + 1)); echo "FAIL  $name ($((SECONDS - t0)) s)"; tail -n 40 "$log/$name.out"
  fi
}

t0=$SECONDS
if ! dotnet build Solvent.sln -c Release >"$log/build.out" 2>&1; then
  grep -E "error|warn" "$log/build.out" | sort -u | head -n 40
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "ok    build (warnings as errors) ($((SECONDS - t0)) s)"

# Style rules at warning severity (unused usings) and analyzers already fail the build above
# (EnforceCodeStyleInBuild, warnings as errors); what only `dotnet format` sees is whitespace.
check format dotnet format whitespace Solvent.sln --verify-no-changes --no-restore

# The servers and packages installed in the background (above) are needed from here on.
if [ -n "$apt_pid" ] && ! wait "$apt_pid"; then echo "setup apt could not install ${need[*]}; continuing"; tail -n 5 "$log/apt.out"; fi
if ldconfig -p 2>/dev/null | grep 'libsecp256k1\.so\.1 ' >/dev/null; then echo "setup libsecp256k1: native"; else echo "setup libsecp256k1: BouncyCastle fallback"; fi
pg_start || true
nats_start || true
# The vault end-to-end tests (Node.Tests) run the pinned anvil from tests/conformance, the conformance
# checks the pinned npm peers: both come from the background `npm ci`.
npm_done() { wait "$npm_pid" || { cat "$log/npm.out"; return 1; }; }
check npm-ci npm_done

for proj in tests/*.Tests/*.csproj; do
  name=$(basename "$proj" .csproj)
  out="$log/$name.out"
  t0=$SECONDS
  # A test that hangs fails its project instead of stalling the run (the long crash suite needs more).
  dotnet test "$proj" -c Release --no-build --logger "console;verbosity=detailed" \
    --blame-hang-timeout "$([ "${SOLVENT_LONG:-}" = 1 ] && echo 40m || echo 8m)" --blame-hang-dump-type none >"$out" 2>&1
  p=$(grep -E '^ +Passed: +[0-9]+$' "$out" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
  f=$(grep -E '^ +Failed: +[0-9]+$' "$out" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  # A run aborted by a crash or the hang timeout never reports its remaining tests: that is a failure.
  if grep -qE 'Test Run Aborted|The active test run was aborted' "$out"; then f=$((f + 1)); grep -E -B2 -A3 'aborted|inactivity' "$out" | head -n 20; fi
  passed=$((passed + p)); failed=$((failed + f))
  echo "ran   $name: $p passed, $f failed ($((SECONDS - t0)) s)"
  if [ "$f" -gt 0 ]; then grep -E -A12 '^\s+Failed ' "$out" | head -n 80; fi
  grep -E '^\s*\[table\]' "$out" | sed 's/^\s*//' || true
done

# The CLI end to end, through the README's own wrapper from the repository root with relative paths
# (the wrapper builds when stale and execs the binary in the caller's directory).
cli=./solvent
check wrapper-first "$cli" --help
check eval-table "$cli" eval scenarios/eval.example.json
check doc-commands node tests/conformance/doc-commands.js
check wrapper-cwd bash -c "cd scenarios && ../solvent eval eval.example.json --json >/dev/null && cd prices && ../../solvent stress run ../gap-50.json --accounts 100 --json >/dev/null"
check eval-json bash -c "'$cli' eval scenarios/eval.example.json --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d[\"subaccounts\"])>0'"
check eval-oracle bash -c "'$cli' eval scenarios/eval.oracle.json --json | python3 -c 'import json,sys; d=json.load(sys.stdin); a=d[\"assets\"][2]; assert a[\"priceSource\"]==\"oracle\" and a[\"feedStatus\"]==\"ok\" and d[\"markets\"][0][\"controlled\"]'"
check eval-bad-input bash -c "! '$cli' eval scenarios/does-not-exist.json && ! echo '{\"genesis\":{}}' | '$cli' eval -"
check eval-refusals bash -c "'$cli' eval scenarios 2>&1 | grep -q 'is a directory' && sed 's/\"ETH\": \"5\"/\"ETH\": \"5\", \"eth\": \"1\"/' scenarios/eval.example.json | (cd scenarios && ../solvent eval -) 2>&1 | grep -q 'ETH is given more than once'"

# The node's command line: help is complete, replay refuses what is not a data directory.
check node-help bash -c "'$cli' node --help | grep -q -- '--dev' && '$cli' node --help | grep -q -- '--data-dir' && '$cli' replay --help | grep -q 'data-dir'"
check replay-bad-input bash -c "'$cli' replay scenarios/does-not-exist; [ \$? -eq 2 ]"

check bench-node-json bash -c "'$cli' bench node --clients 4 --actions-per-client 50 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"accepted\"]==200 and d[\"failed\"]==0 and d[\"signatureBackend\"] in (\"libsecp256k1\",\"bouncycastle\"), d'"
check bench-json bash -c "'$cli' bench --accounts 20000 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"accounts\"]==20000 and d[\"fullScanMs\"]>0 and d[\"applyPerSec\"]>0'"

# Signed actions and state proofs: the wallet schema, and an offline Merkle proof accepted for its root and refused otherwise.
check eip712-schema bash -c "'$cli' eip712 --chain-id 7 | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"domain\"][\"chainId\"]==7 and len(d[\"primaryTypes\"])>=19 and \"EIP712Domain\" in d[\"types\"]'"
check sign-and-recover bash -c "echo '{\"type\":\"Deposit\",\"message\":{\"owner\":\"0x00000000000000000000000000000000000000aa\",\"subaccount\":0,\"asset\":1,\"amount\":\"250000000\",\"nonce\":7}}' | '$cli' sign --seed cow --chain-id 5 | python3 -c 'import sys,json; print(json.dumps({\"eip712\":{\"chainId\":5,\"verify\":[json.load(sys.stdin)]}}))' | '$cli' conform | python3 -c 'import json,sys; v=json.load(sys.stdin)[\"eip712\"][\"verify\"][0]; assert v[\"ok\"] and v[\"signer\"]==\"0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826\", v'"
proof=scenarios/proof.example.json
proot=$(python3 -c "import json; print(json.load(open('$proof'))['root'])")
check verify-proof bash -c "'$cli' verify --root $proot --proof $proof && ! '$cli' verify --root 0x$(printf '%064d' 0) --proof $proof && ! sed 's/\"index\": 9/\"index\": 8/' $proof | '$cli' verify --root $proot --proof -"

# The risk simulator end to end on a bundled scenario (small population, one path).
check stress-json bash -c "'$cli' stress run scenarios/gap-50.json --accounts 300 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"paths\"]==1 and d[\"liquidations\"][\"mean\"]>0 and d[\"badDebtUsd\"][\"mean\"]>=0'"
check stress-bad-input bash -c "! '$cli' stress run scenarios/does-not-exist.json 2>/dev/null && '$cli' stress run scenarios/genesis.example.json 2>&1 | grep -q '^error: .*venues' && '$cli' stress threshold scenarios/gap-50.json --paths 0 2>&1 | grep -q '^error: --paths: must be between 1 and '"

# Side by side with the incumbents' published client math (npm packages pinned by package-lock.json).
check conformance bash -c "cd tests/conformance && node run.js"
grep -E '^(ok|FAIL|      timing)' "$log/conformance.out" | sed 's/^/      /' || true
# The vault contracts on two local Anvil chains (committed artifacts = fresh compile; attacks; gas table).
check vault-e2e node tests/conformance/vault-e2e.js
grep -E '^\[table\]' "$log/vault-e2e.out" | sed 's/^/      /' || true

# The stress report as a reader sees it: rendered by Debian's Chromium through Playwright (tests/chromium.sh).
. tests/chromium.sh
if chromium_ensure; then
  check report-browser report_browser "$PWD/out/report-browser"
  grep -cE '^ok ' "$log/report-browser.out" | sed 's/^/      checks passed: /'
  . tests/web.sh
  check web-app web_app "$PWD/out/web-app" "$PWD/out/report-browser"
  grep -E '^\[table\]' "$log/web-app.out" | sed 's/^/      /' || true
else
  echo "skip  report-browser: $CHROMIUM_SKIP"
fi

# The README's main job exactly as typed: `./solvent node --dev` from the root serves, and a wallet
# (ethers, a fresh key) gets faucet funds, signs one action, reads it back and sees its replay refused.
# Its chain goes to a scratch data directory so a developer's ./data is left alone.
dev_node() {
  local dir pid rc
  dir=$(mktemp -d)
  Solvent__DataDir="$dir" ./solvent node --dev >"$log/dev-node.log" 2>&1 &
  pid=$!
  node tests/conformance/dev-node.js http://127.0.0.1:8645 120
  rc=$?
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [ $rc -ne 0 ] && tail -n 20 "$log/dev-node.log"
  # Its log, damaged mid-file: replay and start both refuse without touching a byte; repair keeps the prefix.
  if [ $rc -eq 0 ]; then
    local size sum
    size=$(stat -c %s "$dir/blocks.log")
    printf '\xff' | dd of="$dir/blocks.log" bs=1 seek=$((size / 2)) conv=notrunc status=none
    sum=$(sha256sum "$dir/blocks.log")
    ./solvent replay "$dir" >/dev/null 2>&1; [ $? -eq 1 ] || { echo "replay of a damaged log did not exit 1"; rc=1; }
    Solvent__DataDir="$dir" ./solvent node --dev --urls http://127.0.0.1:8646 >"$log/damaged-node.log" 2>&1
    [ $? -eq 2 ] && grep -q 'damage at byte' "$log/damaged-node.log" || { echo "node did not refuse the damaged log"; cat "$log/damaged-node.log"; rc=1; }
    [ "$(sha256sum "$dir/blocks.log")" = "$sum" ] || { echo "refusing to start changed the damaged log"; rc=1; }
    ./solvent repair "$dir" --keep-intact-prefix && ./solvent replay "$dir" >/dev/null || { echo "repair did not leave a log that replays"; rc=1; }
    [ $rc -eq 0 ] && echo "ok    damaged log: replay exit 1, node refuses, nothing changed; repair keeps the intact prefix"
  fi
  rm -rf "$dir"
  return $rc
}
check readme-node-dev dev_node
grep -E '^ok ' "$log/readme-node-dev.out" | sed 's/^/      /' || true

echo "wall  $SECONDS s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
