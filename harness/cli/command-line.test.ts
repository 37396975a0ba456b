// The command-line layer: flags, values and positionals are read or refused naming the flag; --help lists every option.
import { describe, expect, it } from 'vitest';
import { helpText, parseCommandLine, type CommandSpec } from './command-line.ts';

const COMMAND = {
  name: 'train',
  usage: ['npm run train -- [options]'],
  summary: 'Trains a GPT.',
  options: [
    { name: 'preset', kind: 'choice', choices: ['tiny', 'baby', 'lecture'], help: 'model size' },
    { name: 'iters', kind: 'int', min: 1, value: 'N', help: 'steps' },
    { name: 'temperature', kind: 'number', min: 0, help: 'softmax temperature' },
    { name: 'minutes', kind: 'number', min: 1, max: 1440, help: 'clock' },
    { name: 'resume', kind: 'flag', help: 'continue\nfrom the checkpoint' },
  ],
} as const satisfies CommandSpec;
const WITH_KATAS = { ...COMMAND, positionals: { name: 'kata', choices: ['attention', 'gpt'], help: 'which katas' } } as const satisfies CommandSpec;
const parse = (...argv: string[]) => parseCommandLine(COMMAND, argv);

describe('parseCommandLine', () => {
  it('reads --k v, --k=v, flags and a negative number as a value', () => {
    expect(parse('--preset', 'tiny', '--iters=300', '--resume', '--temperature', '0.8')).toEqual({
      options: { preset: 'tiny', iters: 300, resume: true, temperature: 0.8 },
      positionals: [],
    });
    expect(() => parse('--temperature', '-1')).toThrow('--temperature -1: expected a number ≥ 0');
  });

  it('gives each option the type its spec declares, so a command uses the values without casts', () => {
    const line = parseCommandLine(WITH_KATAS, ['gpt', '--preset', 'baby', '--iters', '7', '--resume']);
    if ('help' in line) throw new Error('--help was not asked for');
    // These annotations are the check: tsc refuses them if the spec stops driving the types.
    const preset: 'tiny' | 'baby' | 'lecture' | undefined = line.options.preset;
    const iters: number | undefined = line.options.iters;
    const resume: true | undefined = line.options.resume;
    const katas: readonly ('attention' | 'gpt')[] = line.positionals;
    expect({ preset, iters, resume, katas, temperature: line.options.temperature }).toEqual({ preset: 'baby', iters: 7, resume: true, katas: ['gpt'], temperature: undefined });
  });

  it('answers --help and -h, wherever they stand', () => {
    expect(parse('--help')).toEqual({ help: true });
    expect(parse('--iters', '5', '-h')).toEqual({ help: true });
    expect(parse('--fast', '--help')).toEqual({ help: true });
  });

  it.each([
    [['--max_iters', '5'], 'unknown option --max_iters'],
    [['-x'], 'unknown option -x'],
    [['--preset', 'huge'], '--preset huge: expected one of tiny, baby, lecture'],
    [['--iters', '3.5'], '--iters 3.5: expected a whole number ≥ 1'],
    [['--iters', '0'], '--iters 0: expected a whole number ≥ 1'],
    [['--iters=abc'], '--iters abc: expected a whole number ≥ 1'],
    [['--minutes', '2000'], '--minutes 2000: expected a number from 1 to 1440'],
    [['--temperature', ''], '--temperature : expected a number ≥ 0'],
    [['--iters'], '--iters N: the value is missing'],
    [['--iters', '--resume'], '--iters N: the value is missing'],
    [['--resume=yes'], '--resume takes no value'],
    [['--iters', '1', '--iters', '2'], '--iters given twice'],
    [['tiny'], 'unexpected argument "tiny" (train takes only --options)'],
  ])('%j → %s', (argv, message) => {
    expect(() => parse(...argv)).toThrow(message);
  });

  it('reads positionals where the command takes them, once each, and names an unknown one with the choices', () => {
    expect(parseCommandLine(WITH_KATAS, ['gpt', '--iters', '2', 'attention', 'gpt'])).toEqual({ options: { iters: 2 }, positionals: ['gpt', 'attention'] });
    expect(() => parseCommandLine(WITH_KATAS, ['attenton'])).toThrow('unknown kata "attenton"; the katas are attention, gpt');
  });
});

describe('helpText', () => {
  it('gives the usage, the summary and one row per option with its help, continuation lines indented', () => {
    const lines = helpText(WITH_KATAS).split('\n');
    const row = (left: string, help: string) => `  ${left.padEnd(26)}  ${help}`; // 26: the widest left column here
    expect(lines[0]).toBe('usage: npm run train -- [options]');
    expect(lines[1]).toBe('Trains a GPT.');
    expect(lines).toContain(row('kata ...', 'which katas'));
    expect(lines).toContain(row('--preset tiny|baby|lecture', 'model size'));
    expect(lines).toContain(row('--iters N', 'steps'));
    const resume = lines.indexOf(row('--resume', 'continue'));
    expect(resume).toBeGreaterThan(0);
    expect(lines[resume + 1]).toBe(`  ${' '.repeat(26)}  from the checkpoint`);
    expect(lines.at(-1)).toBe(row('-h, --help', 'print this help and exit'));
  });
});
