// Bundles a learner's .ts file (anywhere on disk) into one ESM file under the project, so that bare imports such as
// '@tensorflow/tfjs' resolve to the project's own packages and imports of the solutions beside it still work; every
// other import is refused on its real path (import-guard below).
import { createHash } from 'node:crypto';
import { mkdirSync, realpathSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import * as esbuild from 'esbuild';
import { REQUIRE_BANNER, requireBigPackages } from './compile-cache.mjs';
import { CACHE_DIR, PROJECT_ROOT } from './paths.ts';

export type BundleResult = { ok: true; path: string } | { ok: false; message: string; where: string | null };

const GRADER = join(PROJECT_ROOT, 'grader') + sep;
const CONTRACTS = join(PROJECT_ROOT, 'katas', 'contracts.ts');

/** The grader's own files (its answers); fixture folders hold learner-style files and are not part of them. */
const isGraderOwn = (file: string) => file.startsWith(GRADER) && !file.split(sep).includes('fixtures');

const real = (file: string) => {
  try {
    return realpathSync(file);
  } catch {
    return resolve(file);
  }
};

/** The packages a solution may import: tfjs (the bundle requires it at run time) and Node's built-ins. */
const ALLOWED_PACKAGE = /^@tensorflow\/tfjs(\/.*)?$/;
const isBuiltin = (path: string) => path.startsWith('node:') || builtinModules.includes(path.split('/')[0]!);

/**
 * A solution imports `@tensorflow/tfjs`, Node's built-ins (which the sandbox restricts), `katas/contracts.ts` and the
 * files in its own folder, and nothing else: every other specifier is refused, whatever its form (absolute,
 * `../..`, a symlink), because the check is made on the real path that esbuild resolved it to.
 */
function importGuard(entry: string): esbuild.Plugin {
  const ownFolder = dirname(real(entry));
  return {
    name: 'import-guard',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || (args.pluginData as { guarded?: true } | undefined)?.guarded) return undefined;
        const refuse = (why: string) => ({ errors: [{ text: `imports ${args.path}: ${why}` }] });
        if (!/^[./]/.test(args.path) && !isAbsolute(args.path)) {
          if (ALLOWED_PACKAGE.test(args.path) || isBuiltin(args.path)) return undefined;
          return refuse('a solution may import only @tensorflow/tfjs, katas/contracts.ts and the files beside it');
        }
        const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { guarded: true } });
        if (found.errors.length) return { errors: found.errors };
        const target = real(found.path);
        if (isGraderOwn(target)) return refuse("that is the grader's own file; a solution must be your own code");
        if (target === real(CONTRACTS) || dirname(target) === ownFolder) return { path: found.path, namespace: found.namespace };
        return refuse(`it is outside your solution's folder (${ownFolder}); a solution may import only @tensorflow/tfjs, katas/contracts.ts and the files beside it`);
      });
    },
  };
}

/** Serves the files of a folder as they were when it was snapshotted, so that a grading reads no file twice. */
function fromSnapshot(snapshot: ReadonlyMap<string, string>): esbuild.Plugin {
  return {
    name: 'from-snapshot',
    setup(build) {
      build.onLoad({ filter: /.*/ }, (args) => {
        const contents = snapshot.get(real(args.path));
        return contents === undefined ? undefined : { contents, loader: args.path.endsWith('.tsx') ? 'tsx' : args.path.endsWith('.ts') || args.path.endsWith('.mts') ? 'ts' : 'js' };
      });
    },
  };
}

/**
 * Bundles `file`; with `snapshot` (real path → contents), the files it holds are read from it rather than the disk.
 * A file that is really one of the grader's own (through a symlink) is refused.
 */
export async function bundleSolution(file: string, outName = 'solution', snapshot?: ReadonlyMap<string, string>): Promise<BundleResult> {
  const abs = resolve(file);
  // The grader's own reference solutions are graded where they lie (its tests), and may import each other.
  const graderOwn = isGraderOwn(abs) && real(abs) === abs;
  if (!graderOwn && isGraderOwn(real(abs))) return { ok: false, message: `${abs} is the grader's own file (through a link); a solution must be your own code`, where: null };
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
      plugins: [...(graderOwn ? [] : [importGuard(abs)]), ...(snapshot ? [fromSnapshot(snapshot)] : []), requireBigPackages],
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
