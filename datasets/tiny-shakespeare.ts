// Finds Tiny Shakespeare: --data PATH, else the cached datasets/tinyshakespeare.txt, else a verified download.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../grader/user-error.ts';

/** char-rnn's input.txt, the file the lecture trains on. */
const TINY_SHAKESPEARE_URL = 'https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt';
const TINY_SHAKESPEARE_BYTES = 1_115_394;
export const TINY_SHAKESPEARE_SHA256 = '86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed';

/** datasets/ in this repository (git-ignores *.txt, so the cached copy is never committed). */
const DATASETS_DIR = dirname(fileURLToPath(import.meta.url));
const CACHE_FILE = 'tinyshakespeare.txt';


export interface LoadOptions {
  /** --data PATH: any UTF-8 text file; no checksum, since it need not be Tiny Shakespeare. */
  dataPath?: string;
  /** Where the cached copy lives (default: this folder). */
  cacheDir?: string;
  /** Download address (tests inject an unreachable or local one; nothing in the tests reaches the internet). */
  url?: string;
  /** The file to expect (default: Tiny Shakespeare's size and sha256; tests give those of their own text). */
  expected?: { sha256: string; bytes: number };
  /** Give up on the download after this long. */
  timeoutMs?: number;
  /** Progress lines (e.g. "downloading ..."); silent by default. */
  log?: (line: string) => void;
}

export interface LoadedText {
  text: string;
  /** Absolute path the text was read from (the cache file after a download). */
  path: string;
  source: 'data-flag' | 'cache' | 'download';
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function decodeUtf8(bytes: Uint8Array, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`${display(path)} is not UTF-8 text; pass --data with a UTF-8 text file`);
  }
}

async function download(url: string, timeoutMs: number): Promise<Uint8Array> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}

function reason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  const inner = cause instanceof Error ? cause.message : '';
  return inner && !e.message.includes(inner) ? `${e.message}: ${inner}` : e.message;
}

/** Loads the training text in the documented order; throws a UserError with a fix when it cannot. */
export async function loadTinyShakespeare(opts: LoadOptions = {}): Promise<LoadedText> {
  if (opts.dataPath !== undefined) {
    const path = resolve(opts.dataPath);
    if (!existsSync(path)) throw new UserError(`--data ${opts.dataPath}: no such file; pass --data PATH to a UTF-8 text file`);
    const text = decodeUtf8(readFileSync(path), path);
    if (text.length === 0) throw new UserError(`--data ${opts.dataPath}: the file is empty`);
    return { text, path, source: 'data-flag' };
  }

  const cache = join(opts.cacheDir ?? DATASETS_DIR, CACHE_FILE);
  const want = opts.expected ?? { sha256: TINY_SHAKESPEARE_SHA256, bytes: TINY_SHAKESPEARE_BYTES };
  if (existsSync(cache)) {
    const bytes = readFileSync(cache);
    const digest = sha256(bytes);
    if (digest !== want.sha256) {
      throw new UserError(
        `${display(cache)} is not Tiny Shakespeare (sha256 ${digest.slice(0, 12)}…, expected ${want.sha256.slice(0, 12)}…); ` +
          `delete it to download again, or pass --data PATH to train on it anyway`,
      );
    }
    return { text: decodeUtf8(bytes, cache), path: cache, source: 'cache' };
  }

  const url = opts.url ?? TINY_SHAKESPEARE_URL;
  opts.log?.(`downloading Tiny Shakespeare from ${url}`);
  let bytes: Uint8Array;
  try {
    bytes = await download(url, opts.timeoutMs ?? 30_000);
  } catch (e) {
    throw new UserError(
      `Tiny Shakespeare not found at ${display(cache)}, and the download from ${url} failed (${reason(e)}; offline?).\n` +
        `Put the file (${want.bytes.toLocaleString('en-US')} bytes, sha256 ${want.sha256}) at ${cache}, ` +
        `or pass --data PATH.`,
    );
  }
  const digest = sha256(bytes);
  if (digest !== want.sha256) {
    throw new UserError(
      `the download from ${url} is not Tiny Shakespeare (${bytes.length} bytes, sha256 ${digest}; expected ` +
        `${want.bytes} bytes, sha256 ${want.sha256}); put the right file at ${cache}, or pass --data PATH`,
    );
  }
  mkdirSync(dirname(cache), { recursive: true });
  writeFileSync(`${cache}.part`, bytes);
  renameSync(`${cache}.part`, cache); // never leave a half-written cache behind
  opts.log?.(`cached at ${display(cache)}`);
  return { text: decodeUtf8(bytes, cache), path: cache, source: 'download' };
}
