// Compiles one of our TypeScript entry points (and everything it imports from the project) into a single .mjs under
// .cache/, once: later runs stat the recorded inputs, hash the compiled files against what was built, and reuse
// them, so commands start with plain `node`, no TypeScript loader. A compiled file that differs from what was built
// (edited by anything but this file) is built and written again. Plain JavaScript, because the launcher that uses
// it must run before anything can compile.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(PROJECT_ROOT, '.cache', 'gpt-kata', 'compiled');

/**
 * Packages that ship CommonJS and are big: imported from ESM, Node runs its CommonJS lexer over every file of them to
 * find named exports (0.5 s of CPU for tfjs, as much for typescript). `require` skips that, so the output requires them.
 * Not tfjs-backend-webgpu: harness/backends/webgpu.ts imports it dynamically for its named export WebGPUBackend, and
 * the chunk of a required package exports only `default`; Node's own import keeps the names (75 ms of lexing, paid
 * only once WebGPU is chosen).
 */
const REQUIRED_PACKAGES = /^(@tensorflow\/tfjs(-core|-backend-cpu|-backend-wasm|-converter|-layers|-data)?|typescript|esbuild|react)(\/.*)?$/;

// Spelled in two parts so that this file's own strings survive the rewrite below when it is compiled itself.
const META = ['import', 'meta'].join('.');

/** The file keeps the import.meta of its source, not of the bundle in .cache (paths.ts, simd-module.ts rely on it). */
const ownImportMeta = {
  name: 'own-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.(ts|tsx|mts|mjs)$/ }, (args) => {
      if (args.path.includes(`${join('node_modules', '')}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(META)) return undefined;
      const contents = source
        .replaceAll(`${META}.url`, JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll(`${META}.dirname`, JSON.stringify(dirname(args.path)))
        .replaceAll(`${META}.filename`, JSON.stringify(args.path));
      const ext = args.path.split('.').pop();
      return { contents, loader: { mjs: 'js', mts: 'ts' }[ext] ?? ext, resolveDir: dirname(args.path) };
    });
  },
};

/**
 * Replaces the import of a big CommonJS package by a `require` of it. The copy drops the package's `__esModule`
 * marker, so `import tf from '@tensorflow/tfjs'` still gets the whole module, as it does under Node's own ESM rules.
 * Bundles that use it start with REQUIRE_BANNER.
 */
export const requireBigPackages = {
  name: 'require-big-packages',
  setup(build) {
    build.onResolve({ filter: REQUIRED_PACKAGES }, (args) => ({ path: args.path, namespace: 'required-package' }));
    build.onLoad({ filter: /.*/, namespace: 'required-package' }, (args) => ({
      contents: `module.exports = { ...__gptKataRequire(${JSON.stringify(args.path)}) };`,
      loader: 'js',
    }));
  },
};

export const REQUIRE_BANNER = `import { createRequire as __gptKataCreateRequire } from 'node:module'; const __gptKataRequire = __gptKataCreateRequire(${META}.url);`;

/** SHA-256 over a compiled folder's files, by name then contents, in name order. */
function contentHash(files) {
  const hash = createHash('sha256');
  for (const [name, contents] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(name).update('\0').update(contents);
  return hash.digest('hex');
}

/** The files in a compiled folder as [name, contents] (the folder holds nothing else). */
function folderFiles(folder) {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => [f, readFileSync(join(folder, f))]);
}

function manifestPath(entry) {
  return join(CACHE, `${entry.replace(/[^a-z0-9]+/gi, '-')}.json`);
}

/** The compiled file for `entry` if every input is as it was when it was compiled, else null. */
function cached(entry) {
  try {
    const m = JSON.parse(readFileSync(manifestPath(entry), 'utf8'));
    if (m.node !== process.version || !existsSync(m.out) || contentHash(folderFiles(dirname(m.out))) !== m.content) return null;
    for (const [file, stamp] of Object.entries(m.inputs)) {
      const s = statSync(join(PROJECT_ROOT, file));
      if (`${s.size}:${s.mtimeMs}` !== stamp) return null;
    }
    return m.out;
  } catch {
    return null;
  }
}

/** Compiles `entry` (relative to the project root) unless it is cached; returns the absolute path of the .mjs. */
export async function compiledScript(entry) {
  const hit = cached(entry);
  if (hit) return hit;
  const esbuild = createRequire(join(PROJECT_ROOT, 'package.json'))('esbuild'); // CommonJS; required, not imported, when this file is bundled too
  const name = entry.replace(/[^a-z0-9]+/gi, '-');
  const result = await esbuild.build({
    entryPoints: { [name]: join(PROJECT_ROOT, entry) },
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    // A dynamic import stays lazy, packages and all (kata.tsx clears CI before Ink loads; the kata app draws its first
    // frame before the grader loads), so each one becomes a chunk file beside the entry.
    splitting: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    jsx: 'automatic',
    logLevel: 'silent',
    banner: { js: REQUIRE_BANNER },
    plugins: [ownImportMeta, requireBigPackages],
    outdir: join(CACHE, 'out'), // only fixes where relative package paths point from; the files go to a folder named by content
    outExtension: { '.js': '.mjs' },
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
  });
  const hash = createHash('sha256');
  for (const f of result.outputFiles) hash.update(relative(join(CACHE, 'out'), f.path)).update(f.contents);
  const folder = join(CACHE, `${name}-${hash.digest('hex').slice(0, 16)}`);
  const out = join(folder, `${name}.mjs`);
  const atomically = (file, data) => {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file); // a concurrent run never reads a half-written file
  };
  const built = result.outputFiles.map((f) => [relative(join(CACHE, 'out'), f.path), f.contents]);
  const content = contentHash(built);
  if (!existsSync(out) || contentHash(folderFiles(folder)) !== content) {
    mkdirSync(folder, { recursive: true });
    // the chunks first, the entry last: a folder with its entry is complete
    const files = [...result.outputFiles].sort((a, b) => Number(a.path.endsWith(`${name}.mjs`)) - Number(b.path.endsWith(`${name}.mjs`)));
    for (const f of files) atomically(join(folder, relative(join(CACHE, 'out'), f.path)), f.contents);
  }
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    if (file.includes(':')) continue; // plugin namespaces (required-package:...)
    const abs = resolve(PROJECT_ROOT, file);
    const s = statSync(abs);
    inputs[relative(PROJECT_ROOT, abs)] = `${s.size}:${s.mtimeMs}`;
  }
  atomically(manifestPath(entry), JSON.stringify({ node: process.version, out, content, inputs }));
  return out;
}
