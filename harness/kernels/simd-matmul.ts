// The GEMM engine for machines without the BLAS addon: our wasm SIMD kernel (wasm/kernels.c bmm), one thread,
// transposed operands read through strides at untransposed speed.
import type { GemmEngine } from './batch-matmul.ts';
import { matmulScratchFloats, simdModule } from './simd-module.ts';

export const simdGemm: GemmEngine = (backend, g) => {
  const simd = simdModule(backend);
  const need = matmulScratchFloats(g.M, g.N, g.K);
  const scratch = simd.scratch(4 * (need.packedB + need.rest));
  const ars = g.transposeA ? 1 : g.K; // element (i,k) of A at i·ars + k·acs
  const acs = g.transposeA ? g.M : 1;
  simd.exports.bmm(g.batch, g.M, g.N, g.K, g.a, g.strideA, ars, acs, g.b, g.strideB, g.transposeB ? 1 : 0, g.c, scratch);
};
