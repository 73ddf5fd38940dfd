#!/usr/bin/env bash
# Installs the npm `oidc-provider` (a certified OpenID Connect server) that the integration tests run on
# loopback in place of AWS Cognito. Needs node and npm (Debian: apt-get install -y nodejs npm).
# Idempotent: does nothing when the pinned version is already there.
set -euo pipefail
PREFIX=${PREFIX:-/opt/devplatform/oidc-provider}
VERSION=${OIDC_PROVIDER_VERSION:-9.13.3}

if [ -f "$PREFIX/node_modules/oidc-provider/package.json" ] && grep -q "\"version\": \"$VERSION\"" "$PREFIX/node_modules/oidc-provider/package.json"; then
  exit 0
fi

mkdir -p "$PREFIX"
cd "$PREFIX"
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "oidc-provider@$VERSION"
