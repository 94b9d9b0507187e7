#!/usr/bin/env bash
# Makes sure Debian's Prometheus Alertmanager (0.25 on bookworm) is installed, for the alert-to-ticket end-to-end
# test; prints the binary's path on stdout (progress goes to stderr). Only the binary is used: the tests start it
# themselves on loopback with a temp config and storage, so the packaged system service is never started.
set -euo pipefail

BIN=/usr/bin/prometheus-alertmanager

if [ ! -x "$BIN" ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "ensure-alertmanager: need root (or sudo) to apt-get install prometheus-alertmanager" >&2; exit 1; }
    SUDO="sudo"
  fi
  # Keep the package's init scripts from starting the service (Debian honours policy-rc.d exit 101 = "not allowed").
  POLICY=/usr/sbin/policy-rc.d
  ADDED_POLICY=0
  if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod +x "$POLICY"
    ADDED_POLICY=1
  fi
  cleanup() { if [ "$ADDED_POLICY" = 1 ]; then $SUDO rm -f "$POLICY"; fi; }
  trap cleanup EXIT
  echo "ensure-alertmanager: installing prometheus-alertmanager (apt-get)" >&2
  $SUDO apt-get update -qq >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus-alertmanager >&2
  # Without systemd (containers) nothing was started; with it, make sure the packaged unit is not left running.
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now prometheus-alertmanager >/dev/null 2>&1 || true
  fi
fi

[ -x "$BIN" ] || { echo "ensure-alertmanager: $BIN missing after install" >&2; exit 1; }
echo "ensure-alertmanager: $("$BIN" --version 2>&1 | head -1)" >&2
echo "$BIN"
