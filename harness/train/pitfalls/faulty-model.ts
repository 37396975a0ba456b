// The pitfall lab's faulty models: a grader fixture with one catalogued mistake, loaded the way train:mine loads a learner's gpt.ts.
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import type { Generate, GPT } from '../../../katas/contracts.ts';
import { kataById } from '../../../grader/registry.ts';
import { importSolution } from '../../../grader/sandbox/load-solution.ts';
import { PROJECT_ROOT } from '../../../grader/sandbox/paths.ts';

export interface FaultyModel {
  /** The fixture, relative to the project root. */
  fixture: string;
  gpt: GPT;
  generate: Generate;
}

/** A correct learner's five files (gpt.ts imports block.ts, which imports multi-head.ts, attention.ts and causal-mask.ts). */
const LEARNER_DIR = join(PROJECT_ROOT, 'grader', 'fixtures', 'multi-file');

/** The kata whose fixture folder holds `file` (grader/katas/<kata>/fixtures/faulty/<id>.ts). */
function kataOf(file: string): string {
  const parts = relative(PROJECT_ROOT, file).split(sep);
  if (parts.length !== 6 || parts[0] !== 'grader' || parts[1] !== 'katas' || parts[3] !== 'fixtures' || parts[4] !== 'faulty') {
    throw new Error(`${file} is not a faulty fixture: a pitfall's model is grader/katas/<kata>/fixtures/faulty/<id>.ts`);
  }
  return parts[2]!;
}

/**
 * Loads the fixture's gpt and generate into this process. A gpt fixture is a whole gpt.ts; a fixture of an earlier
 * kata (attention.ts, causal-mask.ts, ...) takes that file's place in a correct learner's folder, whose gpt.ts is loaded.
 */
export async function loadFaultyModel(fixture: string): Promise<FaultyModel> {
  const file = resolve(PROJECT_ROOT, fixture);
  const kata = kataOf(file);
  const info = kataById(kata);
  if (!info) throw new Error(`${fixture}: no kata named ${kata} in grader/registry.ts`);
  let dir: string | null = null;
  let entry = file;
  if (kata !== 'gpt') {
    dir = mkdtempSync(join(tmpdir(), `gpt-kata-pitfall-${kata}-`));
    for (const f of readdirSync(LEARNER_DIR)) if (f.endsWith('.ts')) copyFileSync(join(LEARNER_DIR, f), join(dir, f));
    copyFileSync(file, join(dir, info.file));
    entry = join(dir, 'gpt.ts');
  }
  let mod: Record<string, unknown>;
  try {
    mod = await importSolution(entry);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  if (typeof mod.gpt !== 'function' || typeof mod.generate !== 'function') {
    throw new Error(`${fixture} did not yield functions gpt and generate (it exports: ${Object.keys(mod).join(', ') || 'nothing'}); fix the fixture or the pitfall's entry in harness/train/pitfalls/index.ts`);
  }
  return { fixture: relative(PROJECT_ROOT, file), gpt: mod.gpt as GPT, generate: mod.generate as Generate };
}
