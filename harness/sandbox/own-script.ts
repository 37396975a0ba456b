// Bundles one of our own TypeScript entry points into a plain .mjs under the project cache, once per process,
// so child processes start with plain `node` (no loader) and resolve packages from the project.
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { CACHE_DIR, PROJECT_ROOT } from './paths.ts';

const built = new Map<string, Promise<string>>();

export function ownScript(entry: string): Promise<string> {
  let p = built.get(entry);
  if (!p) {
    p = (async () => {
      const outfile = join(CACHE_DIR, `${entry.replace(/[^a-z0-9]+/gi, '-')}-${process.pid}.mjs`);
      await esbuild.build({
        entryPoints: [join(PROJECT_ROOT, entry)],
        outfile,
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        packages: 'external',
        logLevel: 'silent',
      });
      return outfile;
    })();
    built.set(entry, p);
  }
  return p;
}
