// Flag parsing: unknown flags and bad values are refused with what is accepted.
import { describe, expect, it } from 'vitest';
import { parseOptions, type OptionSpec } from './cli-options.ts';

const SPECS: OptionSpec[] = [
  { name: 'preset', kind: 'choice', choices: ['tiny', 'baby', 'lecture'] },
  { name: 'iters', kind: 'int', min: 1, value: 'N' },
  { name: 'temperature', kind: 'number', min: 0 },
  { name: 'resume', kind: 'flag' },
];
const parse = (...argv: string[]) => parseOptions(argv, SPECS, 'npm run train');

describe('parseOptions', () => {
  it('reads --k v, --k=v and flags', () => {
    expect(parse('--preset', 'tiny', '--iters=300', '--resume', '--temperature', '0.8')).toEqual({
      preset: 'tiny',
      iters: 300,
      resume: true,
      temperature: 0.8,
    });
  });

  it('refuses an unknown flag and lists what is accepted', () => {
    expect(() => parse('--max_iters', '5')).toThrow(
      'unknown option --max_iters; npm run train accepts: --preset tiny|baby|lecture, --iters N, --temperature N, --resume',
    );
  });

  it.each([
    [['--preset', 'huge'], '--preset huge: expected one of tiny, baby, lecture'],
    [['--iters', '3.5'], '--iters 3.5: expected a whole number ≥ 1'],
    [['--iters', '0'], '--iters 0: expected a whole number ≥ 1'],
    [['--temperature', '-1'], '--temperature -1: expected a number ≥ 0'],
    [['--iters'], '--iters N: the value is missing'],
    [['--resume=yes'], '--resume takes no value'],
    [['tiny'], 'unexpected argument "tiny"'],
  ])('%j → %s', (argv, message) => {
    expect(() => parse(...argv)).toThrow(message);
  });
});
