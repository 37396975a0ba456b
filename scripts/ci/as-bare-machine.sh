#!/usr/bin/env bash
# Runs a command as a bare machine (Node 20 and nothing else) would see it: in a private mount namespace, the Vulkan
# loader, tmux, chromium, bubblewrap, PyTorch and OpenBLAS are covered by /dev/null or a stand-in, and the GPT_KATA_REQUIRE_*
# flags are dropped, so every test that needs one of them must skip with its reason. Root only (unshare -m, mount).
# Usage: bash scripts/ci/as-bare-machine.sh npm test   (.ci/run: ... bash scripts/ci/in-fresh-clone.sh npm test)
set -euo pipefail
if [ "${1:-}" != "--inside" ]; then
  if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
    echo "as-bare-machine: SKIPPED: needs root and a mount namespace (unshare -m); the bare-machine pass did not run" >&2
    exit 0
  fi
  exec env -u GPT_KATA_REQUIRE_TMUX -u GPT_KATA_REQUIRE_CHROMIUM -u GPT_KATA_REQUIRE_WEBGPU -u GPT_KATA_REQUIRE_BLAS -u GPT_KATA_REQUIRE_BWRAP \
    GPT_KATA_BARE_MACHINE=1 unshare -m bash "$0" --inside "$@"
fi
shift
# Inside the namespace: these mounts are seen by this command and its children only.
shopt -s nullglob
for f in /usr/lib/*/libvulkan.so* /lib/*/libvulkan.so* /usr/lib/libvulkan.so* /usr/bin/tmux /usr/bin/chromium /usr/bin/bwrap \
         /usr/bin/chromium-browser /usr/bin/google-chrome /usr/lib/*/libopenblas*.so* /usr/lib/*/openblas*/lib*.so* \
         /usr/lib/*/libblas.so* /usr/lib/*/libcblas.so* /usr/include/*/cblas.h /usr/include/cblas.h; do
  real="$(readlink -f "$f")"
  if [ -f "$real" ]; then mount --bind /dev/null "$real"; fi
done
for d in /usr/lib/python3/dist-packages/torch /usr/local/lib/python3*/dist-packages/torch; do
  # an empty folder would import as a namespace package, so the stand-in refuses the import itself
  if [ -d "$d" ]; then
    mount -t tmpfs -o size=1m none "$d"
    echo 'raise ImportError("torch is hidden (bare-machine test)")' > "$d/__init__.py"
  fi
done
echo "as-bare-machine: hidden: Vulkan loader, tmux, chromium, bubblewrap, PyTorch, OpenBLAS" >&2
exec "$@"
