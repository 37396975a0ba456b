// Bundles a learner's .ts file (anywhere on disk) into one ESM file under the project, so that bare imports such as
// '@tensorflow/tfjs' resolve to the project's own packages and relative imports of other solutions still work.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import * as esbuild from 'esbuild';
import { REQUIRE_BANNER, requireBigPackages } from './compile-cache.mjs';
import { CACHE_DIR, PROJECT_ROOT } from './paths.ts';

export type BundleResult = { ok: true; path: string } | { ok: false; message: string; where: string | null };

const GRADER = join(PROJECT_ROOT, 'grader') + sep;

/** The grader's own files (its answers); fixture folders hold learner-style files and are not part of them. */
const isGraderOwn = (file: string) => file.startsWith(GRADER) && !file.split(sep).includes('fixtures');

/** Refuses imports of the grader's own reference solutions and oracle: a solution must stand on its own. */
const noGraderImports: esbuild.Plugin = {
  name: 'no-grader-imports',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = resolve(args.resolveDir, args.path);
      // the grader's own reference solutions may import each other; a learner's file may not import them
      if (isGraderOwn(target) && !isGraderOwn(args.importer)) {
        return { errors: [{ text: `imports the grader's own files (${args.path}); a solution must be your own code` }] };
      }
      return undefined;
    });
  },
};

export async function bundleSolution(file: string, outName = 'solution'): Promise<BundleResult> {
  const abs = resolve(file);
  const dir = join(CACHE_DIR, 'bundles', createHash('sha256').update(abs).digest('hex').slice(0, 16));
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `${outName}-${process.pid}-${Date.now()}.mjs`);
  try {
    await esbuild.build({
      entryPoints: [abs],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      sourcemap: 'inline',
      logLevel: 'silent',
      // The learner's file is plain TypeScript: no tsconfig quirks (verbatimModuleSyntax would keep type imports).
      tsconfigRaw: { compilerOptions: {} },
      // tfjs by `require`: Node's ESM import of it first lexes all of its CommonJS for export names (0.5 s of CPU)
      banner: { js: REQUIRE_BANNER },
      plugins: [noGraderImports, requireBigPackages],
    });
    return { ok: true, path: outfile };
  } catch (err) {
    const first = (err as esbuild.BuildFailure).errors?.[0];
    if (!first) return { ok: false, message: String(err), where: null };
    const loc = first.location;
    const where = loc ? `${resolve(loc.file)}:${loc.line}:${loc.column + 1}` : null;
    const code = loc?.lineText ? `\n    ${loc.lineText.trim()}` : '';
    return { ok: false, message: `${first.text}${code}`, where };
  }
}
