#!/bin/bash
# The real-editor test layer (`npm run test:e2e`; test/run-all.js runs it last):
#   1. installs code-server (a real VS Code 1.139) + Node 24 + chromium into .vscode-test/ (cached),
#   2. compiles the suite and packages the VSIX (npm run package),
#   3. runs the integration suite in the real extension host against the development folder,
#   4. runs it again against the packaged VSIX installed into a fresh extensions folder,
#   5. runs the UI check (Problems panel, light-bulb quick fix, command palette) and saves screenshots in docs/images/.
# Each run gets a fresh code-server (own data/XDG/TMPDIR folders, 127.0.0.1, own process group) and a fresh copy of
# test/e2e/workspace, completed with the fixtures it shares with the other tests (runner/workspace.ts). The last line
# is `N passed, N failed`; the exit status is non-zero on any failure.
# env: OBO_E2E_ONLY=dev,vsix,ui (subset), OBO_E2E_GREP (mocha grep), OBO_E2E_ALL=1 (run pending tests too),
#      OBO_E2E_NO_PACKAGE=1 (reuse the last VSIX), OBO_E2E_SHOTS (the UI check's screenshot folder; docs/images),
#      OBO_E2E_SETTINGS='{"oboAgents.trace.server":"verbose"}' (extra user settings), KEEP=1 (keep the run folders and
#      their logs: user/logs/*/exthost1/obo-agents.obo-agents/), VERBOSE=1, VSCODE_TEST_DIR (install folder)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
T=${VSCODE_TEST_DIR:-$ROOT/.vscode-test}
E2E_OUT=$ROOT/out/test/e2e
ONLY=${OBO_E2E_ONLY:-dev,vsix,ui}
RUNS=$(mktemp -d /tmp/obo-e2e.XXXXXX)
PASSED=0; FAILED=0; PENDING=0
T0=$(date +%s)
now() { echo $(( $(date +%s) - T0 )); }
wants() { [[ ",$ONLY," == *",$1,"* ]]; }

finish() {
  cs_stop 2>/dev/null
  [ -n "${KEEP:-}" ] && echo "run folders kept in $RUNS" || rm -rf "$RUNS"
  echo "e2e done in $(now) s ($PENDING pending)"
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
  exit $?
}
fail_setup() { echo "e2e setup failed: $1"; FAILED=$((FAILED + 1)); finish; }
trap 'cs_stop 2>/dev/null' EXIT

# --- 1. install (idempotent) -------------------------------------------------------------------------------------
echo "=== e2e install ($T)"
t=$(now)
bash "$ROOT/test/e2e/install.sh" "$T" || fail_setup "install.sh"
echo "install: $(( $(now) - t )) s"
source "$ROOT/test/e2e/code-server.sh"

# --- 2. build --------------------------------------------------------------------------------------------------
t=$(now)
if [ -z "${OBO_E2E_NO_BUILD:-}" ] && { [ ! -f dist/client.js ] || [ ! -f dist/server.js ]; }; then
  node esbuild.js || fail_setup "esbuild"
fi
node node_modules/typescript/bin/tsc -p test/e2e/tsconfig.json || fail_setup "tsc -p test/e2e/tsconfig.json"
# Each run packages its own VSIX (npm run package: production build in a staging folder, dist/ untouched) and
# leaves a copy in the install folder for OBO_E2E_NO_PACKAGE=1 reruns.
VSIX=$RUNS/obo-agents.vsix
if wants vsix || wants ui; then
  if [ -n "${OBO_E2E_NO_PACKAGE:-}" ] && [ -f "$T/obo-agents.vsix" ]; then
    cp "$T/obo-agents.vsix" "$VSIX"
  else
    node scripts/package.js --out "$VSIX" > "$RUNS/package.log" 2>&1 || { cat "$RUNS/package.log"; fail_setup "npm run package"; }
    head -1 "$RUNS/package.log"
    cp "$VSIX" "$T/obo-agents.vsix.tmp.$$" && mv "$T/obo-agents.vsix.tmp.$$" "$T/obo-agents.vsix"
  fi
fi
echo "build: $(( $(now) - t )) s"

# add_result NAME JSON: adds a run's counts (written by the suite/UI check) to the totals.
add_result() {
  local name=$1 file=$2 rc=$3
  if [ -f "$file" ]; then
    read -r p f n < <(node -e "const r=require('$file');console.log(r.passed,r.failed,(r.pending||[]).length)")
    PASSED=$((PASSED + p)); FAILED=$((FAILED + f)); PENDING=$((PENDING + n))
    node -e "for (const t of require('$file').pending||[]) console.log('  pending: '+t)"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then FAILED=$((FAILED + 1)); echo "$name: exit $rc without a failing test"; fi
  else
    echo "$name: no result (exit $rc)"; FAILED=$((FAILED + 1))
  fi
}

# show_logs DIR: after a failure, the tails of the server's and the extension's logs (KEEP=1 keeps them all).
show_logs() {
  local f
  echo "--- code-server log (KEEP=1 keeps $1):"; tail -8 "$1/code-server.log"
  for f in "$1"/user/logs/*/exthost*/obo-agents.obo-agents/*.log; do
    [ -f "$f" ] && { echo "--- $(basename "$f"):"; grep -v '^\s*at ' "$f" | tail -12; }
  done
}

# suite MODE: one run of the integration suite in a fresh code-server.
suite() {
  local mode=$1 d=$RUNS/$1 dev rc t=$(now)
  echo; echo "=== e2e suite: $mode"
  mkdir -p "$d"; cs_prepare "$d"
  node "$E2E_OUT/runner/workspace.js" "$d/ws" || { FAILED=$((FAILED + 1)); return; }
  dev=$ROOT
  if [ "$mode" = vsix ]; then
    cs_install_vsix "$d" "$VSIX" || { cat "$d/install-vsix.log"; FAILED=$((FAILED + 1)); return; }
    dev=$ROOT/test/e2e/host   # an empty extension: the extension under test is the installed VSIX
  fi
  mkdir -p "$d/bridge"
  OBO_E2E_MODE=$mode OBO_E2E_RESULT=$d/result.json OBO_E2E_REPO=$ROOT OBO_E2E_BRIDGE=$d/bridge \
    cs_start "$d" || { FAILED=$((FAILED + 1)); return; }
  XDG_CONFIG_HOME=$d/xdg XDG_CACHE_HOME=$d/xdg PORT=$CS_PORT DEV=$dev TESTS=$E2E_OUT/suite/index.js FOLDER=$d/ws \
    OBO_E2E_BRIDGE=$d/bridge node "$E2E_OUT/runner/runTests.js"
  rc=$?
  cs_stop
  [ $rc -eq 0 ] || show_logs "$d"
  add_result "suite $mode" "$d/result.json" $rc
  echo "suite $mode: $(( $(now) - t )) s"
}

ui_check() {
  local d=$RUNS/ui rc t=$(now)
  echo; echo "=== e2e UI check"
  mkdir -p "$d"; cs_prepare "$d"
  node "$E2E_OUT/runner/workspace.js" "$d/ws" || { FAILED=$((FAILED + 1)); return; }
  cs_install_vsix "$d" "$VSIX" || { cat "$d/install-vsix.log"; FAILED=$((FAILED + 1)); return; }
  # trace level: every debug and trace line of every channel is written, so the typed-token scan sees them all
  LOG_LEVEL=trace cs_start "$d" || { FAILED=$((FAILED + 1)); return; }
  XDG_CONFIG_HOME=$d/xdg XDG_CACHE_HOME=$d/xdg PORT=$CS_PORT FOLDER=$d/ws RUN_DIR=$d \
    SHOTS=${OBO_E2E_SHOTS:-$ROOT/docs/images} RESULT=$d/result.json node "$E2E_OUT/ui/ui.js"
  rc=$?
  cs_stop
  [ $rc -eq 0 ] || show_logs "$d"
  add_result "ui" "$d/result.json" $rc
  echo "ui: $(( $(now) - t )) s"
}

wants dev && suite dev
wants vsix && suite vsix
wants ui && ui_check
finish
