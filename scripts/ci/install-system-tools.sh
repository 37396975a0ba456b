#!/usr/bin/env bash
# Best-effort install of the system tools some tests drive for real: tmux (a real terminal for the kata UI), bubblewrap
# (the grading sandbox's walls),
# chromium (the HTML report), libopenblas-dev (the native BLAS matmul: harness/kernels/blas), Mesa 25 lavapipe
# (a software GPU for the WebGPU backend). Root only. Never fatal:
# CI may have no Debian mirror, and each test that needs a missing tool says it is skipped and why.
set -uo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "install-system-tools: not root; skipping (tests needing tmux, chromium or lavapipe will skip)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
missing=()
command -v tmux >/dev/null || missing+=(tmux)
command -v bwrap >/dev/null || missing+=(bubblewrap)
command -v chromium >/dev/null || missing+=(chromium)
dpkg-query -W -f='${Status}' libopenblas-dev 2>/dev/null | grep -q 'ok installed' || missing+=(libopenblas-dev)
if [ ${#missing[@]} -gt 0 ]; then
  if timeout 180 apt-get update -qq >/dev/null 2>&1 && timeout 600 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    echo "install-system-tools: installed ${missing[*]}"
  else
    echo "install-system-tools: could not install ${missing[*]} (no Debian mirror?); their tests will skip"
  fi
fi
timeout 600 bash "$(dirname "$0")/../gpu/install-lavapipe.sh" || echo "install-system-tools: lavapipe not installed; the WebGPU tests will skip"
exit 0
