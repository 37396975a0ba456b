// How the sandbox child is shut in on this machine, layer by layer: Node's permission model everywhere (no file
// writes, no child processes, workers, addons or inspector, reads only of tfjs and the child's own files), and on
// Linux an operating-system layer on top: bubblewrap where it runs (empty root with read-only binds, private /tmp,
// no network, its own pid namespace, an unprivileged user), else util-linux unshare (network and pid namespaces),
// and a switch to the unprivileged user 65534 when the grader runs as root. Probed once per process; doctor prints it.
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { PROJECT_ROOT } from './paths.ts';

export type OsLayer = 'bwrap' | 'unshare' | 'none';

export interface Isolation {
  os: OsLayer;
  /** The child runs as uid/gid 65534 (nobody): the grader is root, and setpriv or bwrap's user namespace allows it. */
  unprivilegedUser: boolean;
  /** Protections this machine cannot give, in words (doctor and the grade output say them). */
  missing: string[];
}

/** The user and group the child becomes when the grader runs as root. */
const NOBODY = 65534;

/** Node's flag for its permission model: experimental on Node 20 and 21. */
export function permissionFlag(version: string = process.versions.node): string {
  return Number(version.split('.')[0]) >= 22 ? '--permission' : '--experimental-permission';
}

/** The package directories `@tensorflow/tfjs` needs at run time: the package and its dependencies, transitively. */
export function tfjsPackageDirs(root: string = PROJECT_ROOT): string[] {
  const found = new Set<string>();
  const locate = (name: string, from: string): string | null => {
    for (let dir = from; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
      if (dirname(dir) === dir) return null;
    }
  };
  const visit = (dir: string) => {
    if (found.has(dir)) return;
    found.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      const at = locate(dep, dir);
      if (at) visit(at);
    }
  };
  const tfjs = locate('@tensorflow/tfjs', root);
  if (tfjs) visit(tfjs);
  return [...found].sort();
}

/** The flags that turn Node's permission model on, reading only `readDirs`. */
export function permissionArgs(readDirs: readonly string[]): string[] {
  return [permissionFlag(), ...readDirs.map((d) => `--allow-fs-read=${d.endsWith(sep) ? d : d + sep}*`)];
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** True when uid 65534 can reach `path`: every directory above it is searchable by others. */
function othersCanReach(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (dirname(dir) === dir) return true;
  }
}

/** The system directories the node binary needs (it, its shared libraries, the loader's cache), as bwrap arguments. */
function systemBinds(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const top of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    try {
      const s = lstatSync(top);
      if (s.isSymbolicLink()) args.push('--symlink', readlinkSync(top), top);
      else if (s.isDirectory()) args.push('--ro-bind', top, top);
    } catch {
      // not on this distribution
    }
  }
  args.push('--ro-bind-try', '/etc/ld.so.cache', '/etc/ld.so.cache');
  const node = realpathSync(process.execPath);
  if (!node.startsWith('/usr/')) {
    const prefix = dirname(dirname(node)); // an install outside /usr (nvm, a tarball): its bin/ and lib/
    args.push('--ro-bind', prefix, prefix);
  }
  return args;
}

/** The bwrap command line up to (not including) the program it starts. */
function bwrapPrefix(readDirs: readonly string[], asNobody: boolean): string[] {
  const setpriv = asNobody && isRoot() ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--inh-caps=-all', '--'] : [];
  const binds = readDirs.flatMap((d) => ['--ro-bind', d, d]);
  return [
    ...setpriv,
    'bwrap',
    '--unshare-all',
    '--unshare-user',
    '--uid',
    String(NOBODY),
    '--gid',
    String(NOBODY),
    '--die-with-parent',
    '--cap-drop',
    'ALL',
    ...systemBinds(),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    ...binds,
    '--chdir',
    '/tmp',
    '--',
  ];
}

/** The unshare command line: network and pid namespaces (a user namespace when not root), killed with its parent. */
function unsharePrefix(asNobody: boolean): string[] {
  const ns = isRoot() ? ['unshare', '--net', '--pid', '--fork', '--kill-child'] : ['unshare', '--user', '--net', '--pid', '--fork', '--kill-child'];
  const drop = asNobody && isRoot() ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--inh-caps=-all', '--'] : [];
  return [...ns, '--', ...drop];
}

const setprivPrefix = () => ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--inh-caps=-all', '--'];

function works(command: readonly string[]): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(command[0]!, command.slice(1), { timeout: 10_000, env: { PATH: '/usr/bin:/bin' } }, (err) => resolve(!err));
  });
}

let probed: Promise<Isolation> | null = null;

/** What this machine allows, probed once per process (a few tens of ms, hidden behind the warm child's start). */
export function isolation(): Promise<Isolation> {
  probed ??= probe();
  return probed;
}

async function probe(): Promise<Isolation> {
  const missing: string[] = [];
  if (process.platform !== 'linux') {
    missing.push(
      'no network isolation (Node 20–22 does not restrict sockets)',
      process.platform === 'win32' ? 'no process isolation beyond Node\'s permission model' : 'no pid namespace (the child could signal your processes)',
    );
    return { os: 'none', unprivilegedUser: false, missing };
  }
  const nobodyCanRead = isRoot() && othersCanReach(PROJECT_ROOT) && othersCanReach(realpathSync(process.execPath));
  if (process.env.GPT_KATA_NO_BWRAP !== '1') {
    for (const asNobody of nobodyCanRead ? [true, false] : [false]) {
      if (await works([...bwrapPrefix([], asNobody), 'true'])) {
        if (isRoot() && !asNobody) missing.push('the child runs as root mapped to uid 65534 in a user namespace, not as a separate user (your project folder is not readable by others)');
        return { os: 'bwrap', unprivilegedUser: asNobody || !isRoot(), missing };
      }
    }
  }
  missing.push('bubblewrap (bwrap) is not available: the child sees your files read-only through Node\'s permission model only');
  for (const asNobody of nobodyCanRead ? [true, false] : [false]) {
    if (await works([...unsharePrefix(asNobody), 'true'])) {
      if (isRoot() && !asNobody) missing.push('the child runs as root (your project folder is not readable by others)');
      return { os: 'unshare', unprivilegedUser: asNobody, missing };
    }
  }
  missing.push('no network or pid namespace (unshare refused: user namespaces are off here): the child can open network connections and signal your processes');
  if (nobodyCanRead && (await works([...setprivPrefix(), 'true']))) return { os: 'none', unprivilegedUser: true, missing };
  if (isRoot()) missing.push('the child runs as root');
  return { os: 'none', unprivilegedUser: false, missing };
}

/** The command prefix that starts the child under `iso`, seeing only `readDirs`, read-only. */
export function isolatedPrefix(iso: Isolation, readDirs: readonly string[]): string[] {
  if (iso.os === 'bwrap') return bwrapPrefix(readDirs, iso.unprivilegedUser);
  if (iso.os === 'unshare') return unsharePrefix(iso.unprivilegedUser);
  return iso.unprivilegedUser ? setprivPrefix() : [];
}
