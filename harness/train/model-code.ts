// A train:mine run's own model code, kept in OUT/checkpoint/code/: the bundle it trained with (gpt.ts and everything it
// imports, as one file) and the sources for reading, so sample and --resume never depend on the live solutions/ folder.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Generate, GPT } from '../../katas/contracts.ts';
import { CACHE_DIR } from '../../grader/sandbox/paths.ts';
import { UserError } from '../../grader/user-error.ts';

/** The code of one model: the bundle (an ES module) and its sources, each with the path it was read from. */
export interface ModelCode {
  /** The learner's gpt.ts that was bundled. */
  entry: string;
  bundle: string;
  sources: { path: string; text: string }[];
}

/** code/manifest.json: where each saved source came from, so a later command can tell whether solutions/ changed. */
interface CodeManifest {
  entry: string;
  bundle: string;
  sources: { path: string; saved: string; sha256: string }[];
}

const CODE_DIR = 'code';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The sources a bundle was built from, read back from its inline source map (the bundler writes one). */
export function modelCodeOf(entry: string, bundlePath: string): ModelCode {
  const bundle = readFileSync(bundlePath, 'utf8');
  const m = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(bundle);
  const sources: { path: string; text: string }[] = [];
  if (m) {
    const map = JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')) as { sources?: string[]; sourcesContent?: (string | null)[] };
    (map.sources ?? []).forEach((s, i) => {
      const text = map.sourcesContent?.[i];
      const path = resolve(dirname(bundlePath), s);
      // only real files: the bundler's stand-ins for packages (tfjs) are not the learner's code
      if (typeof text === 'string' && existsSync(path)) sources.push({ path, text });
    });
  }
  if (!sources.some((s) => s.path === entry)) sources.unshift({ path: entry, text: readFileSync(entry, 'utf8') });
  return { entry, bundle, sources };
}

/** Where a source goes under code/src/: its path relative to the gpt.ts's folder, or under _elsewhere/ when outside it. */
function savedName(entry: string, path: string): string {
  const rel = relative(dirname(entry), path);
  const safe = rel.startsWith('..') || rel.startsWith(sep) ? join('_elsewhere', ...path.split(sep).filter(Boolean).slice(-2)) : rel;
  return join('src', safe);
}

/** Writes code/ into a checkpoint folder: gpt.mjs, src/…, manifest.json. */
export function writeModelCode(checkpointFolder: string, code: ModelCode): void {
  const dir = join(checkpointFolder, CODE_DIR);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'gpt.mjs'), code.bundle);
  const manifest: CodeManifest = { entry: code.entry, bundle: 'gpt.mjs', sources: [] };
  for (const s of code.sources) {
    const saved = savedName(code.entry, s.path);
    mkdirSync(dirname(join(dir, saved)), { recursive: true });
    writeFileSync(join(dir, saved), s.text);
    manifest.sources.push({ path: s.path, saved, sha256: sha256(s.text) });
  }
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
}

export function hasModelCode(checkpointFolder: string): boolean {
  return existsSync(join(checkpointFolder, CODE_DIR, 'manifest.json'));
}

/** Reads code/ back (for --resume, which keeps training the same code). */
export function readModelCode(checkpointFolder: string): ModelCode {
  const dir = join(checkpointFolder, CODE_DIR);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as CodeManifest;
  return {
    entry: manifest.entry,
    bundle: readFileSync(join(dir, manifest.bundle), 'utf8'),
    sources: manifest.sources.map((s) => ({ path: s.path, text: readFileSync(join(dir, s.saved), 'utf8') })),
  };
}

/** The saved sources whose file on disk is now different or gone, as paths relative to the working folder. */
function changedSources(code: ModelCode): string[] {
  return code.sources
    .filter((s) => !existsSync(s.path) || sha256(readFileSync(s.path, 'utf8')) !== sha256(s.text))
    .map((s) => {
      const rel = relative(process.cwd(), s.path);
      return rel && !rel.startsWith('..') ? rel : s.path;
    });
}

/** One line when the files the run was trained from have changed since, else null. */
export function changedSinceLine(code: ModelCode, checkpointFolder: string, verb: string): string | null {
  const changed = changedSources(code);
  if (!changed.length) return null;
  const shown = changed.length > 3 ? `${changed.slice(0, 3).join(', ')} and ${changed.length - 3} more` : changed.join(', ');
  return `${shown} changed since this run was trained; ${verb} with the code it was trained with (${join(checkpointFolder, CODE_DIR)})`;
}

/** Imports a saved bundle. It is copied into the project's cache first, so its bare imports (tfjs) resolve to the project's packages. */
export async function importModelCode(code: ModelCode): Promise<{ gpt: GPT; generate: Generate }> {
  const dir = join(CACHE_DIR, 'saved-models');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${sha256(code.bundle).slice(0, 16)}.mjs`);
  if (!existsSync(file)) writeFileSync(file, code.bundle);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    throw new UserError(`the model code saved with this run could not be loaded: ${(e as Error).message}`, { cause: e });
  }
  if (typeof mod.gpt !== 'function' || typeof mod.generate !== 'function') {
    throw new UserError(`the model code saved with this run does not export functions gpt and generate`);
  }
  return { gpt: mod.gpt as GPT, generate: mod.generate as Generate };
}
