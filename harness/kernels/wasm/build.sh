#!/usr/bin/env bash
# Builds the two kernel binaries from kernels.c with clang (wasm32): plain SIMD and relaxed-SIMD FMA, for tfjs's own heap.
set -euo pipefail
cd "$(dirname "$0")"
FLAGS=(--target=wasm32 -O3 -msimd128 -mbulk-memory -nostdlib -fno-builtin -Wl,--no-entry -Wl,--import-memory -Wl,--strip-all)
# Imports tfjs-backend-wasm's (unshared) heap, for kernels that run in place on the main thread.
clang "${FLAGS[@]}" -o kernels.wasm kernels.c
clang "${FLAGS[@]}" -mrelaxed-simd -DUSE_FMA -o kernels-fma.wasm kernels.c
# clang 14 encodes f32x4.fma with the pre-standard opcode 0xfd 0xaf 0x01; relaxed_madd is 0xfd 0x85 0x02.
python3 - <<'PY'
for name in ('kernels-fma.wasm',):
    data = open(name, 'rb').read()
    print(name, 'fma instructions patched:', data.count(b'\xfd\xaf\x01'))
    open(name, 'wb').write(data.replace(b'\xfd\xaf\x01', b'\xfd\x85\x02'))
PY
for f in kernels*.wasm; do
  if llvm-objdump-14 -h "$f" | grep -q ' DATA '; then echo "$f has a data section: it would overwrite tfjs's heap" >&2; exit 1; fi
done
ls -l kernels*.wasm
