// The one user error: what it says, the exit status each kind ends with, and the guard the commands rely on.
import { describe, expect, it } from 'vitest';
import { UserError, isUserError } from './user-error.ts';

describe('UserError', () => {
  it('is a problem with exit status 1 unless it is a usage error (exit status 2)', () => {
    const problem = new UserError('no gpt.ts in solutions: write it first');
    expect(problem.message).toBe('no gpt.ts in solutions: write it first');
    expect([problem.kind, problem.exitCode]).toEqual(['problem', 1]);
    const usage = new UserError('--dir is for --mine', { kind: 'usage' });
    expect([usage.kind, usage.exitCode]).toEqual(['usage', 2]);
  });

  it('keeps the cause it was given', () => {
    const cause = new Error('ENOENT');
    expect(new UserError('could not read the file', { cause }).cause).toBe(cause);
  });

  it('is recognised by the guard, and other errors are not', () => {
    expect(isUserError(new UserError('x'))).toBe(true);
    expect(isUserError(new Error('x'))).toBe(false);
    expect(isUserError(Object.assign(new Error('x'), { name: 'UserError' }))).toBe(false);
    expect(isUserError('UserError')).toBe(false);
  });
});
