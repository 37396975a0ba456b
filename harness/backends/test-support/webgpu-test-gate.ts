// For the WebGPU tests: is there an adapter here? If not, say why the tests are skipped (or fail, when CI demands one).
import { describeAdapter, probeWebGPU } from '../webgpu-probe.ts';

/** Set GPT_KATA_REQUIRE_WEBGPU=1 where an adapter must exist (e.g. CI after installing lavapipe): then no skip. */
const REQUIRED = process.env.GPT_KATA_REQUIRE_WEBGPU === '1';

/**
 * Probes once; prints a visible line either way, so a skipped suite never looks like a passing one.
 * Returns true when the WebGPU tests can run.
 */
export async function webgpuAvailable(suite: string): Promise<boolean> {
  const probe = await probeWebGPU();
  if (probe.adapter) {
    console.log(`[${suite}] running on WebGPU adapter ${describeAdapter(probe.adapter)}`);
    return true;
  }
  if (REQUIRED) throw new Error(`[${suite}] GPT_KATA_REQUIRE_WEBGPU=1 but ${probe.reason}`);
  console.warn(`[${suite}] SKIPPED: ${probe.reason}. Install Mesa >= 25 lavapipe (scripts/gpu/install-lavapipe.sh) or a GPU's Vulkan driver to run it.`);
  return false;
}
