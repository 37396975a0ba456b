#!/usr/bin/env bash
# The GPU check, for a GPU machine without network access (an NVIDIA H200 so far), one run of at most 10 minutes:
# WebGPU (Dawn on NVIDIA's Vulkan) bench and lecture training, PyTorch CUDA beside it.
#
# On a machine with network first:  bash scripts/gpu-prepare.sh   (builds .cache/gpu-carry, ~47 MiB)
# Then copy the working tree with .cache/gpu-carry to the GPU machine and run there:  bash scripts/gpu-check.sh
# Dry run here on lavapipe (tiny shapes, minutes):  GPU_CHECK_LOCAL=1 GPT_KATA_PYTHON=/usr/bin/python3 bash scripts/gpu-check.sh
#
# Writes into $OUT: summary.md (the figures and ratios), gpu-check.log, doctor.txt, bench.jsonl, torch.txt, metrics.jsonl.
set -uo pipefail
cd "$(dirname "$0")/.."
CARRY=${CARRY:-.cache/gpu-carry}
OUT=${OUT:-$PWD/.cache/gpu-out}
LOCAL=${GPU_CHECK_LOCAL:-0}
PY=${GPT_KATA_PYTHON:-python3} # on the H200, python3 is the image's PyTorch venv
BUDGET_S=${GPU_CHECK_BUDGET_S:-540} # inside the tool's 600 s, with time left for the files to come back
START=$(date +%s)
mkdir -p "$OUT"
exec > >(tee -a "$OUT/gpu-check.log") 2>&1
say() { echo "[gpu-check +$(($(date +%s) - START))s] $*"; }
left() { echo $((BUDGET_S - ($(date +%s) - START))); }

[ -f "$CARRY/node.xz" ] || { say "no $CARRY/node.xz: run scripts/gpu-prepare.sh here and carry $CARRY"; exit 1; }

# 1. Unpack Node, the bundled CLIs and Dawn into a scratch folder.
W=$(mktemp -d /tmp/gpt-kata-gpu.XXXXXX)
xz -dc "$CARRY/node.xz" >"$W/node" && chmod +x "$W/node"
cp -r "$CARRY/app" "$W/app"
xz -dc "$CARRY/app/gpt-kata.mjs.xz" >"$W/app/gpt-kata.mjs"
mkdir -p "$W/app/node_modules/webgpu/dist/linux-x64"
xz -dc "$CARRY/dawn.node.xz" >"$W/app/node_modules/webgpu/dist/linux-x64/dawn.node"
NODE="$W/node"
APP=("$NODE" "$W/app/gpt-kata.mjs")
DATA="$PWD/$CARRY/tinyshakespeare.txt"
say "node $("$NODE" --version), bundle $(du -h "$W/app/gpt-kata.mjs" | cut -f1), data $(wc -c <"$DATA") bytes"

# 2. Vulkan: the carried loader (private folder first; dpkg -x into / as a fallback) and NVIDIA's ICD.
use_loader_in() { # $1: root the debs were unpacked into
  export LD_LIBRARY_PATH="$1/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
}
doctor() { "${APP[@]}" doctor 2>"$W/doctor.err" | tee "$OUT/doctor.txt"; }
if [ "$LOCAL" = 1 ]; then
  export VK_DRIVER_FILES=/usr/share/vulkan/icd.d/lvp_icd.json # lavapipe: proves the path, not the speed
  PRESETS=(tiny baby) STEPS=(3 2) WARMUP=1 TRAIN_PRESET=tiny TRAIN_ITERS=30
else
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || say "nvidia-smi failed"
  if ! ldconfig -p | grep -q 'libvulkan.so.1 '; then
    mkdir -p "$W/vk"
    for f in "$CARRY"/debs/*.deb; do dpkg -x "$f" "$W/vk"; done
    use_loader_in "$W/vk"
  fi
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$icd" ]; then export VK_DRIVER_FILES="$icd"; break; fi
  done
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  PRESETS=(baby lecture) STEPS=(30 15) WARMUP=3 TRAIN_PRESET=lecture TRAIN_ITERS=5000
fi
say "VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset} LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-unset}"
say "doctor"
doctor
if [ "$LOCAL" != 1 ] && ! grep -q '^  kind: hardware GPU' "$OUT/doctor.txt"; then
  say "no hardware adapter with the private loader; unpacking the debs into /"
  cat "$W/doctor.err" | tail -5
  for f in "$CARRY"/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
  doctor
fi
grep -Eq '^  webgpu +loads' "$OUT/doctor.txt" || {
  say "webgpu does not load here; see doctor.txt. Stopping before the benches."
  tail -20 "$W/doctor.err"
  exit 1
}

# 3. PyTorch on the same presets, same run (the ratios below compare figures from one machine, minutes apart).
: >"$OUT/torch.txt"
torch_preset() { # $1 preset, $2 iters, rest: overrides (argparse keeps the last value)
  local preset=$1 iters=$2 flags line
  shift 2
  case "$preset" in
    tiny) flags=(--n_embd 32 --n_head 2 --n_layer 2 --block 32 --batch 16 --lr 3e-3) ;;
    baby) flags=(--n_embd 128 --n_head 4 --n_layer 4 --block 64 --batch 12 --lr 1e-3) ;;
    lecture) flags=(--n_embd 384 --n_head 6 --n_layer 6 --block 256 --batch 64 --lr 3e-4 --dropout 0.2) ;;
  esac
  line=$(timeout 120 "$PY" harness/bench/torch-gpt.py "$DATA" --iters "$iters" --device "$TORCH_DEVICE" --threads 1 "${flags[@]}" "$@" 2>&1 | tail -1)
  echo "preset=$preset $line" | tee -a "$OUT/torch.txt"
}
if "$PY" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  TORCH_DEVICE=cuda
elif "$PY" -c 'import torch' 2>/dev/null; then
  TORCH_DEVICE=cpu
else
  TORCH_DEVICE=
  say "no PyTorch here: no anchor figures"
fi
if [ -n "$TORCH_DEVICE" ]; then
  for p in "${PRESETS[@]}"; do
    say "pytorch $TORCH_DEVICE $p"
    torch_preset "$p" $([ "$LOCAL" = 1 ] && echo 8 || echo 100)
  done
fi

# 4. bench --backend webgpu on the same presets (the trainer's step, median after warm-up); if bench cannot run on
#    webgpu, scripts/gpu/step-bench.ts times the same step with its own loop. Then the lecture step without dropout:
#    tfjs draws dropout masks on the CPU, and the difference shows what that costs on a GPU.
: >"$OUT/bench.jsonl"
bench_one() { # $1 command (bench|step), $2 preset, $3 steps, rest: extra flags
  local cmd=$1 p=$2 n=$3
  shift 3
  say "$cmd webgpu $p $* ($n steps)"
  timeout 200 "${APP[@]}" "$cmd" --backend webgpu --preset "$p" --steps "$n" --warmup "$WARMUP" --data "$DATA" --json "$@" >"$W/$cmd-$p.out" 2>&1
  local rc=$? last
  tail -3 "$W/$cmd-$p.out"
  last=$(tail -1 "$W/$cmd-$p.out")
  if [ $rc = 0 ] && [ "${last:0:1}" = "{" ]; then echo "$last" >>"$OUT/bench.jsonl"; return 0; fi
  return 1
}
for i in "${!PRESETS[@]}"; do
  p=${PRESETS[$i]}
  bench_one bench "$p" "${STEPS[$i]}" || bench_one step "$p" "${STEPS[$i]}" ||
    echo "{\"preset\":\"$p\",\"backend\":\"webgpu\",\"error\":\"bench and step-bench failed\"}" >>"$OUT/bench.jsonl"
done
last_preset=${PRESETS[-1]}
bench_one step "$last_preset" "${STEPS[-1]}" --no-dropout || true
if [ -n "$TORCH_DEVICE" ]; then
  say "pytorch $TORCH_DEVICE $last_preset without dropout"
  torch_preset "$last_preset" $([ "$LOCAL" = 1 ] && echo 8 || echo 100) --dropout 0
  sed -i '$ s/^preset=\([a-z]*\) /preset=\1-nodropout /' "$OUT/torch.txt"
fi

# 5. The training run, as long as the budget allows; metrics.jsonl keeps every eval that finished.
t=$(($(left) - 25))
if [ "$t" -gt 30 ]; then
  say "train webgpu $TRAIN_PRESET --iters $TRAIN_ITERS for at most ${t}s"
  timeout "$t" "${APP[@]}" train --backend webgpu --preset "$TRAIN_PRESET" --iters "$TRAIN_ITERS" --data "$DATA" --out "$W/run" >"$W/train.out" 2>&1
  rc=$?
  grep -v '^\s*$' "$W/train.out" | tail -8
  [ $rc = 124 ] && say "training stopped at the time limit (that is expected: see the last eval in metrics.jsonl)"
  cp "$W/run/metrics.jsonl" "$OUT/metrics.jsonl" 2>/dev/null || say "no metrics.jsonl written (no eval finished in time)"
else
  say "no time left for a training run"
fi

# 6. The figures, as ratios.
"$NODE" scripts/gpu/summarize.mjs "$OUT" "$TRAIN_PRESET" "$TRAIN_ITERS" | tee "$OUT/summary.md"
say "done"
