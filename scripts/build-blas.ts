// Builds the optional native BLAS matmul (harness/kernels/blas/) with node-gyp; never fails: npm install runs it.
// Where it cannot be built (no compiler, no cblas.h, no libopenblas, no Node headers) it writes why to
// build/not-built.txt, which doctor, bench and the trainer quote, and training runs on the wasm kernels.
// Usage: npm run build:blas (after apt-get install libopenblas-dev, say). GPT_KATA_BLAS_VERBOSE=1 shows node-gyp's log.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BLAS_BINARY, BLAS_DIR, NOT_BUILT_FILE } from '../harness/kernels/blas-addon.ts';

const mac = process.platform === 'darwin';
const verbose = process.env.GPT_KATA_BLAS_VERBOSE === '1';

function run(cmd: string, args: string[], opts: { input?: string; cwd?: string; timeoutS?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, {
    encoding: 'utf8',
    input: opts.input,
    cwd: opts.cwd,
    timeout: (opts.timeoutS ?? 60) * 1000,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
}

/** The last lines of a failed command's output that say what went wrong (node-gyp's own chatter left out). */
function gist(r: SpawnSyncReturns<string>): string {
  if (r.error) return r.error.message;
  const lines = `${r.stderr}\n${r.stdout}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => /error|not found|No such file|cannot|fatal/i.test(l) && !/^gyp (info|ERR! (cwd|node -v|node-gyp -v|command|System|not ok))/.test(l));
  return (errors.length ? errors.slice(0, 2) : lines.slice(-2)).join(' / ').slice(0, 300) || `exit status ${r.status}`;
}

/** Why it was not built, and what to install (or do) about it. */
interface NotBuilt {
  why: string;
  fix: string;
}

const XCODE = 'xcode-select --install';
const OPENBLAS = 'apt-get install libopenblas-dev';

/** What is missing to build it here, or null when the tools are all present. */
function missingTools(cxx: string): NotBuilt | null {
  if (process.platform !== 'linux' && !mac) return { why: `no native BLAS build for ${process.platform}`, fix: 'use Linux or macOS' };
  if (run(cxx, ['--version']).status !== 0) return { why: `no C++ compiler (${cxx})`, fix: mac ? XCODE : 'apt-get install g++ make' };
  if (run('make', ['--version']).status !== 0) return { why: 'no make', fix: mac ? XCODE : 'apt-get install make' };
  const header = mac ? '#include <Accelerate/Accelerate.h>\n' : '#include <cblas.h>\n';
  if (run(cxx, ['-E', '-x', 'c++', '-'], { input: header }).status !== 0) return mac ? { why: 'no Accelerate headers', fix: XCODE } : { why: 'no cblas.h', fix: OPENBLAS };
  if (!mac) {
    const dir = mkdtempSync(join(tmpdir(), 'gpt-kata-blas-'));
    try {
      const probe = `${header}int main() { return openblas_get_num_threads() > 0 ? 0 : 1; }\n`;
      const r = run(cxx, ['-x', 'c++', '-', '-o', join(dir, 'probe'), '-lopenblas'], { input: probe });
      if (r.status !== 0) return { why: `cblas.h is there but OpenBLAS is not (${gist(r)})`, fix: OPENBLAS };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return null;
}

/** npm's own node-gyp: npm passes its path to scripts; otherwise it sits inside npm beside this node. */
function nodeGyp(): string | null {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

/** Node's headers: npm's nodedir setting, else the ones installed with this node (Debian, nodesource, Homebrew). */
function nodedirArgs(): string[] {
  if (process.env.npm_config_nodedir) return [];
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include/node/node_api.h')) && existsSync(join(prefix, 'include/node/common.gypi')) ? [`--nodedir=${prefix}`] : [];
}

function build(): NotBuilt | null {
  const cxx = process.env.CXX ?? (mac ? 'clang++' : 'c++');
  const missing = missingTools(cxx);
  if (missing) return missing;
  const gyp = nodeGyp();
  if (!gyp) return { why: 'node-gyp not found (it comes with npm)', fix: 'reinstall npm' };
  // Without local Node headers node-gyp downloads them; offline that fails, and the timeout keeps it short.
  const r = run(process.execPath, [gyp, 'rebuild', ...nodedirArgs()], { cwd: BLAS_DIR, timeoutS: 300 });
  if (verbose) process.stderr.write(`${r.stdout}${r.stderr}`);
  if (r.status !== 0) return { why: `node-gyp failed: ${gist(r)}`, fix: 'GPT_KATA_BLAS_VERBOSE=1 npm run build:blas shows its log' };
  // Load it in a child: a binary that builds but cannot load (a missing shared library) counts as not built.
  const check = run(process.execPath, ['-e', `const m = require(${JSON.stringify(BLAS_BINARY)}); console.log(JSON.stringify(m.info()))`]);
  if (check.status !== 0) {
    return { why: `it built but does not load: ${gist(check)}`, fix: mac ? XCODE : 'apt-get install libopenblas0-pthread' };
  }
  return null;
}

let failed: NotBuilt | null;
try {
  failed = build();
} catch (err) {
  failed = { why: `the build script failed: ${(err as Error).message}`, fix: 'GPT_KATA_BLAS_VERBOSE=1 npm run build:blas shows more' };
}
if (failed) {
  rmSync(BLAS_BINARY, { force: true }); // an older build must not outlive a failed one: doctor would contradict this
  mkdirSync(dirname(NOT_BUILT_FILE), { recursive: true });
  const line = `${failed.why}; ${failed.fix}, then npm run build:blas`;
  writeFileSync(NOT_BUILT_FILE, `${line}\n`);
  console.log(`gpt-kata: native BLAS matmul not built (training uses the wasm kernels): ${line}`);
} else {
  rmSync(NOT_BUILT_FILE, { force: true });
  console.log('gpt-kata: native BLAS matmul built (harness/kernels/blas); npm run doctor shows it');
}
