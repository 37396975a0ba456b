// For the BLAS addon's tests: is it built and loadable here? If not, say why they are skipped (or fail, when CI demands it).
import { loadBlas, type BlasAddon } from '../blas-addon.ts';

/** Set GPT_KATA_REQUIRE_BLAS=1 where the addon must load (CI after installing libopenblas-dev): then no skip. */
const REQUIRED = process.env.GPT_KATA_REQUIRE_BLAS === '1';

/** Loads once; prints a visible line either way, so a skipped suite never looks like a passing one. */
export function blasAvailable(suite: string): BlasAddon | null {
  const status = loadBlas();
  if (status.ok) {
    console.log(`[${suite}] running on ${status.info.config}`);
    return status.addon;
  }
  if (REQUIRED) throw new Error(`[${suite}] GPT_KATA_REQUIRE_BLAS=1 but ${status.reason}`);
  console.warn(`[${suite}] SKIPPED: ${status.reason}`);
  return null;
}
