// `npm run kata` as a user types it, in a real 80x24 terminal (tmux): the home screen, Ctrl-C, and no terminal at all.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../grader/sandbox/compile-cache.mjs';
import { npmRun } from './test-support/npm-run.ts';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
// .ci/run sets this where tmux is installed, so there a missing tmux fails instead of skipping.
const required = process.env.GPT_KATA_REQUIRE_TMUX === '1';
if (!hasTmux && !required) console.warn('[npm run kata] SKIPPED the terminal test: tmux is not installed (apt-get install -y tmux)');
const socket = `kata-npm-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
afterAll(() => void spawnSync('tmux', ['-L', socket, 'kill-server']));

async function screenShows(name: string, text: string, timeoutMs = 90_000): Promise<string> {
  const started = Date.now();
  let screen = '';
  while (Date.now() - started < timeoutMs) {
    screen = tmux('capture-pane', '-p', '-t', name);
    if (screen.includes(text)) return screen;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the terminal never showed "${text}" within ${timeoutMs / 1000} s; it shows:\n${screen}`);
}

describe('npm run kata', () => {
  it.skipIf(!hasTmux && !required)('draws the home screen with the five katas in a terminal, and Ctrl-C quits with exit 0', async () => {
    expect(hasTmux, 'tmux is needed for this test: apt-get install -y tmux').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'gpt-kata-npm-kata-'));
    tmux('new-session', '-d', '-s', 'app', '-x', '80', '-y', '24', `cd ${PROJECT_ROOT} && npm run kata -- --dir ${dir}; echo KATA-EXIT=$?; sleep 60`);
    const home = await screenShows('app', 'The whole GPT');
    for (const title of ['Scaled dot-product attention', 'Multi-head attention', 'Causal mask with tril', 'Pre-norm transformer block']) {
      expect(home).toContain(title);
    }
    tmux('send-keys', '-t', 'app', 'C-c');
    expect(await screenShows('app', 'KATA-EXIT=')).toContain('KATA-EXIT=0');
  });

  it('without a terminal, says so and points to npm run grade (exit 2)', async () => {
    const r = await npmRun('kata', ['--dir', mkdtempSync(join(tmpdir(), 'gpt-kata-npm-kata-'))], { silent: true, timeoutMs: 120_000 });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('is not a terminal');
    expect(r.stderr).toContain('npm run grade');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
