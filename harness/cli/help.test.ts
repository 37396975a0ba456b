// Every npm run command as a user types it: --help prints its usage (exit 0), a bad flag is refused in one style (exit 2).
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const SCRIPTS = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
/** Every script that goes through the launcher: a new command is covered as soon as package.json names it. */
const COMMANDS = Object.keys(SCRIPTS).filter((name) => SCRIPTS[name]!.startsWith('node harness/cli/run.mjs '));

/** Runs the package.json script `name` with extra arguments, as `npm run name -- ...args` would (without npm's banner). */
function run(name: string, args: string[]) {
  const [bin, ...rest] = SCRIPTS[name]!.split(' ');
  expect(bin).toBe('node'); // the launcher, harness/cli/run.mjs: plain node, no TypeScript loader
  return execa(process.execPath, [...rest, ...args], { reject: false, timeout: 120_000, env: { FORCE_COLOR: '0' } });
}

/** The error prefix and usage line of a script: train:mine is train's. */
const nameOf = (command: string) => (command === 'train:mine' ? 'train' : command);

describe('every command answers --help', () => {
  it('with its usage, a summary and a described row for every option, exit 0, nothing on stderr', async () => {
    // All at once: each is a Node start-up and a parse (the commands import tfjs and the grader only after it).
    expect(COMMANDS).toEqual(expect.arrayContaining(['grade', 'kata', 'train', 'train:mine', 'sample', 'experiments', 'bench', 'bench:grade', 'doctor', 'week']));
    const results = await Promise.all(COMMANDS.map(async (c) => [c, await run(c, ['--help'])] as const));
    for (const [command, r] of results) {
      expect(r.exitCode, `${command}: ${r.stderr}`).toBe(0);
      expect(r.stderr, command).toBe('');
      const lines = r.stdout.split('\n');
      expect(lines[0], command).toMatch(new RegExp(`^usage: npm run ${nameOf(command)}\\b`));
      expect(lines.some((l) => /^ {2}-h, --help +print this help and exit$/.test(l)), command).toBe(true);
      const rows = lines.map((l, i) => [l, lines[i + 1] ?? ''] as const).filter(([l]) => /^ {2}(--|-h|\w+ \.\.\.)/.test(l));
      expect(rows.length, command).toBeGreaterThan(0);
      // A row carries its help after two spaces, or (when the flag is long) on the next, indented, line.
      for (const [row, next] of rows) expect(/\S {2,}\S/.test(row.trim()) || /^ {20,}\S/.test(next), `${command}: no help for "${row.trim()}"`).toBe(true);
    }
    const kata = results.find(([c]) => c === 'kata')![1];
    expect(kata.stdout).toMatch(/^ {2}kata \.\.\. +any of attention, /m);
    const grade = results.find(([c]) => c === 'grade')![1];
    expect(grade.stdout).toMatch(/^ {2}--seed N +seed for the random cases/m);
    await expect(run('train', ['-h'])).resolves.toMatchObject({ exitCode: 0, stdout: results.find(([c]) => c === 'train')![1].stdout });
  }, 240_000);
});

describe('a bad flag', () => {
  it('is named after the command, followed by the usage, exit 2, without a stack trace', async () => {
    const cases: [string, string[], string][] = [
      ['train', ['--iters', '0'], 'train: --iters 0: expected a whole number ≥ 1'],
      ['sample', ['--chars'], 'sample: --chars N: the value is missing'],
      ['doctor', ['--verbose'], 'doctor: unknown option --verbose'],
      ['bench:grade', ['--runs', 'many'], 'bench:grade: --runs many: expected a whole number ≥ 1'],
      ['grade', ['attenton'], 'grade: unknown kata "attenton"; the katas are attention, '],
      ['kata', ['--minutes=0'], 'kata: --minutes 0: expected a number from 1 to 1440'],
    ];
    const results = await Promise.all(cases.map(async ([c, args]) => run(c, args)));
    cases.forEach(([command, , message], i) => {
      const r = results[i]!;
      expect(r.exitCode, `${command}: ${r.stderr}`).toBe(2);
      expect(r.stdout, command).toBe('');
      const [first, second] = r.stderr.split('\n');
      expect(first, command).toContain(message);
      expect(first!.startsWith(message), command).toBe(true);
      expect(second, command).toMatch(new RegExp(`^usage: npm run ${command}\\b`));
      expect(r.stderr, command).not.toMatch(/\n\s+at /);
    });
  }, 240_000);
});
