// Bundles one of our own TypeScript entry points into a plain .mjs under the project cache, once per process,
// so child processes start with plain `node` (no loader) and resolve packages from the project. The file is named
// by its content, so every grading run reuses it instead of leaving one file per process behind.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { CACHE_DIR, PROJECT_ROOT } from './paths.ts';

const built = new Map<string, Promise<string>>();

export function ownScript(entry: string): Promise<string> {
  let p = built.get(entry);
  if (!p) {
    p = (async () => {
      const result = await esbuild.build({
        entryPoints: [join(PROJECT_ROOT, entry)],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        packages: 'external',
        logLevel: 'silent',
        outfile: join(CACHE_DIR, 'out.mjs'), // only fixes where relative package paths point from
      });
      const code = result.outputFiles[0]!.contents;
      const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
      const outfile = join(CACHE_DIR, `${entry.replace(/[^a-z0-9]+/gi, '-')}-${hash}.mjs`);
      if (!existsSync(outfile)) {
        mkdirSync(CACHE_DIR, { recursive: true });
        const tmp = `${outfile}.${process.pid}.tmp`;
        writeFileSync(tmp, code);
        renameSync(tmp, outfile); // atomic: a concurrent grader never runs a half-written file
      }
      return outfile;
    })();
    built.set(entry, p);
  }
  return p;
}
