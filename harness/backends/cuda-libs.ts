// Which CUDA/cuDNN shared libraries tfjs-node-gpu 4.22 (libtensorflow 2.9.1) needs, and which this machine has.
import { existsSync } from 'node:fs';
import { sharedLibraries } from './shared-libs.ts';

/** One library libtensorflow dlopens for its GPU device; missing any one of them means TensorFlow silently runs on the CPU. */
export interface CudaLib {
  readonly soname: string;
  readonly from: string; // what to install to get it
}

// libtensorflow 2.9.1 is built against CUDA 11.2 and cuDNN 8.1; it asks for these exact sonames.
// CUDA 12's libcudart.so.12 does NOT satisfy libcudart.so.11.0 (the commonest report in tfjs's tracker).
export const CUDA_LIBS: readonly CudaLib[] = [
  { soname: 'libcuda.so.1', from: 'the NVIDIA driver' },
  { soname: 'libcudart.so.11.0', from: 'CUDA 11.x runtime (cuda-cudart-11-2)' },
  { soname: 'libcublas.so.11', from: 'CUDA 11.x cuBLAS (libcublas-11-2)' },
  { soname: 'libcublasLt.so.11', from: 'CUDA 11.x cuBLAS (libcublas-11-2)' },
  { soname: 'libcufft.so.10', from: 'CUDA 11.x cuFFT (libcufft-11-2)' },
  { soname: 'libcurand.so.10', from: 'CUDA 11.x cuRAND (libcurand-11-2)' },
  { soname: 'libcusolver.so.11', from: 'CUDA 11.x cuSOLVER (libcusolver-11-2)' },
  { soname: 'libcusparse.so.11', from: 'CUDA 11.x cuSPARSE (libcusparse-11-2)' },
  { soname: 'libcudnn.so.8', from: 'cuDNN 8.1 for CUDA 11 (libcudnn8)' },
];

export interface CudaLibScan {
  readonly found: ReadonlyMap<string, string>; // soname -> path
  readonly missing: readonly CudaLib[];
  readonly nvidiaDevice: boolean; // /dev/nvidia0 exists (a GPU the driver exposes)
  readonly otherVersions: readonly string[]; // e.g. libcudart.so.12: a CUDA that tfjs-node-gpu cannot use
}

// A CUDA runtime or cuDNN of another major version: present, but not what libtensorflow 2.9.1 asks for.
const OTHER_VERSION = /^(libcudart\.so\.(?!11\.0$)\d[\d.]*|libcudnn\.so\.(?!8$)\d[\d.]*)$/;

/** Scans for the libraries tfjs-node-gpu needs; cheap (one ldconfig call), safe to run anywhere. */
export function scanCudaLibs(env: NodeJS.ProcessEnv = process.env): CudaLibScan {
  const known = sharedLibraries(env);
  const found = new Map<string, string>();
  const missing: CudaLib[] = [];
  for (const lib of CUDA_LIBS) {
    const path = known.get(lib.soname);
    if (path) found.set(lib.soname, path);
    else missing.push(lib);
  }
  const otherVersions = [...known.keys()].filter((name) => OTHER_VERSION.test(name)).sort();
  return { found, missing, nvidiaDevice: existsSync('/dev/nvidia0'), otherVersions };
}

/** One line for messages: "missing libcudart.so.11.0 (CUDA 11.x runtime ...), libcudnn.so.8 (...)". */
export function describeMissing(scan: CudaLibScan): string {
  if (scan.missing.length === 0) return 'all CUDA 11.2 / cuDNN 8.1 libraries found';
  const other = scan.otherVersions.length ? `; found ${scan.otherVersions.join(', ')}, which libtensorflow 2.9.1 cannot use` : '';
  return `missing ${scan.missing.map((l) => l.soname).join(', ')}${other}`;
}
