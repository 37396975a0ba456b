// The TypeScript compiler (9 MB of JavaScript), loaded with a V8 code cache kept in .cache/: compiling it afresh
// costs about 0.6 s of CPU in every grading process, reading the cache about half of that.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import type * as TS from 'typescript';
import { CACHE_DIR } from './sandbox/paths.ts';

type Internals = { wrap(source: string): string; _nodeModulePaths(dir: string): string[]; _cache: Record<string, unknown> };

function load(): typeof TS {
  const require = createRequire(import.meta.url);
  const file = require.resolve('typescript');
  const M = Module as unknown as Internals & (new (id: string, parent: unknown) => { exports: unknown; filename: string; paths: string[]; loaded: boolean });
  if (M._cache[file]) return require('typescript') as typeof TS;
  try {
    const s = statSync(file);
    const key = createHash('sha256').update(`${file}:${s.size}:${s.mtimeMs}:${process.version}:${process.arch}`).digest('hex').slice(0, 16);
    const cacheFile = join(CACHE_DIR, 'v8', `typescript-${key}.bin`);
    const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
    const script = new vm.Script(M.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
    const mod = new M(file, null);
    mod.filename = file;
    mod.paths = M._nodeModulePaths(dirname(file));
    (script.runInThisContext() as (...a: unknown[]) => void).call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
    mod.loaded = true;
    M._cache[file] = mod;
    if (!cachedData || script.cachedDataRejected) {
      // after the first use, so that the cache holds the functions grading compiles, not just the top level
      setImmediate(() => {
        try {
          mkdirSync(dirname(cacheFile), { recursive: true });
          const tmp = `${cacheFile}.${process.pid}.tmp`;
          writeFileSync(tmp, script.createCachedData());
          renameSync(tmp, cacheFile);
        } catch {
          // a read-only project still grades, only slower
        }
      }).unref();
    }
    return mod.exports as typeof TS;
  } catch {
    return require('typescript') as typeof TS;
  }
}

const ts: typeof TS = load();
export default ts;
