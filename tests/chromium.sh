# Debian's Chromium for the stress report's browser check (sourced by test.sh). Installed with apt when
# missing and root; never a browser build downloaded by a test. Playwright (npm playwright-core, pinned in
# tests/conformance) drives it.

# Sets CHROMIUM to the browser, or CHROMIUM_SKIP to why there is none (then returns 1).
chromium_ensure() {
  CHROMIUM= CHROMIUM_SKIP=
  local c
  for c in /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -x "$c" ]; then CHROMIUM=$c; return 0; fi
  done
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "setup installing chromium (apt)"
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium ||
      { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }; } >/dev/null 2>&1
    if [ -x /usr/bin/chromium ]; then CHROMIUM=/usr/bin/chromium; return 0; fi
    CHROMIUM_SKIP="apt could not install chromium"
  else
    CHROMIUM_SKIP="chromium is not installed and this is not root with apt"
  fi
  return 1
}

# report_browser DIR: a threshold search and a run written into DIR, the report rendered headless and checked
# section by section; the screenshot stays in DIR/stress-report.png.
report_browser() {
  local dir=$1
  rm -rf "$dir" && mkdir -p "$dir" &&
    ./solvent stress threshold scenarios/mc-baseline.json --kind shock --paths 4 --accounts 100 --out "$dir" --json >/dev/null &&
    ./solvent stress run scenarios/mc-baseline.json --paths 20 --accounts 500 --out "$dir" >/dev/null &&
    (cd tests/conformance && timeout 60 node report-browser.js "$dir/report.html" "$dir/stress-report.png" "$CHROMIUM")
}
