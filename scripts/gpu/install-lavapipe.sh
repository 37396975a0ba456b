#!/usr/bin/env bash
# Installs Mesa 25's software Vulkan (lavapipe) from bookworm-backports so the WebGPU tests have an adapter; root only.
# Plain bookworm's Mesa 22 is rejected by Dawn ("shaderUniform*ArrayDynamicIndexing required"), hence backports.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "install-lavapipe: not root; skipping (the WebGPU tests will say they are skipped and why)"
  exit 0
fi
if ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 && dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -q '^2[5-9]\.'; then
  echo "install-lavapipe: Mesa $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers) lavapipe already installed"
  exit 0
fi
. /etc/os-release
if [ "${VERSION_CODENAME:-}" != bookworm ]; then
  echo "install-lavapipe: this script knows Debian bookworm only (found ${PRETTY_NAME:-unknown}); install Mesa >= 25 lavapipe yourself"
  exit 0
fi
list=/etc/apt/sources.list.d/bookworm-backports.list
[ -f "$list" ] || echo 'deb http://deb.debian.org/debian bookworm-backports main' >"$list"
export DEBIAN_FRONTEND=noninteractive
# Refresh only the backports list (fast) when bookworm's main lists are already there, else everything.
if ls /var/lib/apt/lists/*_dists_bookworm_main_binary-*_Packages* >/dev/null 2>&1; then
  apt-get update -qq -o Dir::Etc::sourcelist="$list" -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0 >/dev/null
else
  apt-get update -qq >/dev/null
fi
apt-get install -y -qq --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null 2>&1 \
  || apt-get install -y -q --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1
echo "install-lavapipe: Mesa $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers) lavapipe installed"
