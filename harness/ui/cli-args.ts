// Command-line options of `npm run kata -- [kata ...] [--dir DIR] [--minutes 60]`, checked with messages that say what to type.
import { isAbsolute, resolve } from 'node:path';
import { KATAS, kataById } from '../../grader/katas.ts';
import type { KataId } from '../../grader/report.ts';

export interface KataArgs {
  katas: KataId[];
  /** Absolute. */
  dir: string;
  minutes: number;
}

/** 60: the curriculum's self-test is one hour. */
export const DEFAULT_MINUTES = 60;

export const USAGE = `Usage: npm run kata -- [kata ...] [--dir DIR] [--minutes 60]
  kata       any of ${KATAS.map((k) => k.id).join(', ')} (default: all five, in order)
  --dir      your workspace folder (default: solutions/); may be anywhere on disk
  --minutes  length of the session clock (default: ${DEFAULT_MINUTES})`;

export type ParsedArgs = { ok: true; args: KataArgs } | { ok: true; help: true } | { ok: false; message: string };

/**
 * `cwd` resolves a relative --dir: npm runs scripts from the project root, so pass INIT_CWD (the folder the
 * learner typed the command in). `defaultDir` is the project's solutions/ folder.
 */
export function parseKataArgs(argv: readonly string[], cwd: string, defaultDir: string): ParsedArgs {
  const katas: KataId[] = [];
  let dir = defaultDir;
  let minutes = DEFAULT_MINUTES;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    if (flag === '--help' || flag === '-h') return { ok: true, help: true };
    if (flag === '--dir') {
      const v = value();
      if (!v) return { ok: false, message: '--dir needs a folder, e.g. --dir ~/katas' };
      dir = isAbsolute(v) ? v : resolve(cwd, v);
    } else if (flag === '--minutes') {
      const v = value();
      const n = Number(v);
      if (!v || !Number.isFinite(n) || n <= 0 || n > 24 * 60) return { ok: false, message: `--minutes needs a positive number of minutes (at most 1440), got ${v ?? "nothing"}` };
      minutes = n;
    } else if (flag.startsWith('-')) {
      return { ok: false, message: `unknown option ${flag}` };
    } else {
      const kata = kataById(arg);
      if (!kata) return { ok: false, message: `unknown kata "${arg}"; the katas are ${KATAS.map((k) => k.id).join(', ')}` };
      if (!katas.includes(kata.id)) katas.push(kata.id);
    }
  }
  const ordered = KATAS.map((k) => k.id).filter((id) => katas.length === 0 || katas.includes(id));
  return { ok: true, args: { katas: ordered, dir, minutes } };
}
