// Runs Debian's chromium headless on a local HTML file (fresh profile, no network chatter): how the reports are checked.
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The chromium binary, or null when none is installed (apt-get install -y chromium). */
export function findChromium(): string | null {
  return CANDIDATES.find((p) => {
    try {
      accessSync(p, constants.X_OK); // present and executable (a file that is there but cannot run is no browser)
      return statSync(p).isFile();
    } catch {
      return false;
    }
  }) ?? null;
}

export interface ChromiumRun {
  /** What --dump-dom printed: the DOM after scripts ran. */
  dom: string;
}

/** Loads `file` in headless chromium and returns the DOM it rendered; `screenshot` also writes a PNG of the page. */
export function renderInChromium(file: string, opts: { screenshot?: string; timeoutMs?: number } = {}): Promise<ChromiumRun> {
  const bin = findChromium();
  if (!bin) return Promise.reject(new Error('chromium is not installed (apt-get install -y chromium)'));
  const profile = mkdtempSync(join(tmpdir(), 'gpt-kata-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--no-first-run',
    `--user-data-dir=${profile}`,
    '--virtual-time-budget=5000', // let load handlers and image decoding finish before the dump
    ...(opts.screenshot ? [`--screenshot=${opts.screenshot}`, '--window-size=1000,1400'] : ['--dump-dom']),
    pathToFileURL(file).href,
  ];
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      rmSync(profile, { recursive: true, force: true });
      if (err) reject(new Error(`chromium failed on ${file}: ${err.message}\n${stderr.slice(-2000)}`));
      else resolve({ dom: stdout });
    });
  });
}
