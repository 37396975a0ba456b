// Runs the saturation measurement on a scaledDotProductAttention in the grader's sandbox: the learner's attention.ts when it
// passes the grader, else the reference. With v = I the output is the weights themselves; q·√dₖ undoes the scale.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { KataReport } from '../../grader/report.ts';
import { bundleSolution } from '../../grader/sandbox/bundle.ts';
import { PROJECT_ROOT } from '../../grader/sandbox/paths.ts';
import { isWireTensor, wireTensor, type Wire } from '../../grader/sandbox/protocol.ts';
import { takeSandbox } from '../../grader/sandbox/warm-pool.ts';
import { isBlank } from '../ui/workspace.ts';
import { KEYS, QUERIES, saturationCases, summariseWeights, type SaturationReport, type SaturationRow } from './saturation.ts';

export const REFERENCE_ATTENTION = join(PROJECT_ROOT, 'grader', 'katas', 'attention', 'reference.ts');
const CALL_TIMEOUT_MS = 10_000;

/** Calls scaledDotProductAttention(q, k, I) in a sandboxed child for every head size, scaled and unscaled. */
async function measureFile(file: string, seed: number): Promise<SaturationRow[]> {
  const built = await bundleSolution(file, 'attention');
  if (!built.ok) throw new Error(`${built.where ?? file}: ${built.message}`);
  const started = await (await takeSandbox()).load(built.path, file);
  rmSync(built.path, { force: true });
  if (!started.ok) throw new Error(started.kind === 'load-error' ? started.error.message : started.gone.message);
  const { sandbox } = started;
  const eye = wireTensor([KEYS, KEYS], Array.from({ length: KEYS * KEYS }, (_, i) => (i % (KEYS + 1) === 0 ? 1 : 0)));
  const weights = async (q: Float32Array, k: Float32Array, dk: number): Promise<ArrayLike<number>> => {
    const args: Wire[] = [wireTensor([QUERIES, dk], q), wireTensor([KEYS, dk], k), eye];
    const res = await sandbox.request({ op: 'call', fn: 'scaledDotProductAttention', args }, CALL_TIMEOUT_MS);
    if (!res.ok) throw new Error(`scaledDotProductAttention threw ${res.error.name}: ${res.error.message}`);
    if (!isWireTensor(res.value) || res.value.shape.join(',') !== `${QUERIES},${KEYS}`) throw new Error(`scaledDotProductAttention did not return a [${QUERIES}, ${KEYS}] tensor`);
    return res.value.data;
  };
  try {
    const rows: SaturationRow[] = [];
    for (const c of saturationCases(seed)) {
      const root = Math.sqrt(c.dk);
      const scaled = summariseWeights(await weights(c.q, c.k, c.dk), QUERIES, KEYS);
      const unscaled = summariseWeights(await weights(c.q.map((x) => x * root), c.k, c.dk), QUERIES, KEYS);
      rows.push({ dk: c.dk, scaled, unscaled });
    }
    return rows;
  } finally {
    sandbox.dispose();
  }
}

/** Grades DIR/attention.ts; measures it when it passes, else the reference, saying which and why. */
export async function measureSaturation(dir: string, seed: number, grade: (file: string) => Promise<KataReport>): Promise<SaturationReport> {
  const file = join(dir, 'attention.ts');
  let why: string;
  if (!existsSync(file)) why = 'no attention.ts in your folder yet';
  else if (isBlank(readFileSync(file, 'utf8'))) why = 'your attention.ts is still blank';
  else {
    const report = await grade(file);
    if (!report.passed) why = `your attention.ts does not pass the grader yet${report.mistakes[0] ? ` (${report.mistakes[0]})` : ''}`;
    else {
      try {
        return { source: 'yours', file, why: 'your attention.ts passes the grader', rows: await measureFile(file, seed) };
      } catch (e) {
        why = `your attention.ts passes the grader but not this measurement: ${(e as Error).message}`;
      }
    }
  }
  return { source: 'reference', file: REFERENCE_ATTENTION, why, rows: await measureFile(REFERENCE_ATTENTION, seed) };
}
