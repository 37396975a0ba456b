// The lookup order, the checksum and the offline message of the Tiny Shakespeare loader; nothing leaves this machine.
// The files are the committed slice, so the checks verify the slice's own size and sha256 in place of the whole text's.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTinyShakespeare, TINY_SHAKESPEARE_SHA256 } from './tiny-shakespeare.ts';
import { SLICE_CHARS, SLICE_PATH } from './tiny-shakespeare-slice.ts';

const GOOD = readFileSync(SLICE_PATH);
const expected = { sha256: createHash('sha256').update(GOOD).digest('hex'), bytes: GOOD.length };
const UNREACHABLE = 'http://127.0.0.1:9/input.txt'; // the discard port: refused at once, offline-style

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/good.txt') res.end(GOOD);
    else res.end('To be, or not to be');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const emptyDir = () => mkdtempSync(join(tmpdir(), 'gpt-kata-data-'));

describe('loadTinyShakespeare', () => {
  it('reads --data PATH first, whatever the cache holds', async () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'tinyshakespeare.txt'), 'not shakespeare');
    const got = await loadTinyShakespeare({ dataPath: SLICE_PATH, cacheDir: dir, url: UNREACHABLE });
    expect(got.source).toBe('data-flag');
    expect(got.text.length).toBe(SLICE_CHARS);
  });

  it('says plainly when --data points nowhere', async () => {
    await expect(loadTinyShakespeare({ dataPath: '/no/such/file.txt' })).rejects.toThrow(/no such file; pass --data PATH/);
  });

  it('uses a cached copy that matches the checksum, without downloading', async () => {
    const dir = emptyDir();
    copyFileSync(SLICE_PATH, join(dir, 'tinyshakespeare.txt'));
    const got = await loadTinyShakespeare({ cacheDir: dir, url: UNREACHABLE, expected });
    expect(got.source).toBe('cache');
  });

  it('refuses a cached copy with the wrong checksum', async () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'tinyshakespeare.txt'), 'not shakespeare');
    await expect(loadTinyShakespeare({ cacheDir: dir, url: UNREACHABLE, expected })).rejects.toThrow(/is not Tiny Shakespeare .*delete it/);
    await expect(loadTinyShakespeare({ cacheDir: dir, url: UNREACHABLE })).rejects.toThrow(/is not Tiny Shakespeare .*delete it/);
  });

  it('offline: says where to put the file and to pass --data PATH', async () => {
    const dir = emptyDir();
    const err = (await loadTinyShakespeare({ cacheDir: dir, url: UNREACHABLE }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain('download from http://127.0.0.1:9/input.txt failed');
    expect(err.message).toContain(join(dir, 'tinyshakespeare.txt'));
    expect(err.message).toContain('pass --data PATH');
    expect(err.message).toContain(TINY_SHAKESPEARE_SHA256);
    expect(err.message).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('downloads, verifies the sha256 and caches (from a local server)', async () => {
    const dir = emptyDir();
    const got = await loadTinyShakespeare({ cacheDir: dir, url: `${base}/good.txt`, expected });
    expect(got.source).toBe('download');
    expect(existsSync(join(dir, 'tinyshakespeare.txt'))).toBe(true);
    expect((await loadTinyShakespeare({ cacheDir: dir, url: UNREACHABLE, expected })).source).toBe('cache');
    expect(readFileSync(join(dir, 'tinyshakespeare.txt')).equals(GOOD)).toBe(true);
  });

  it('rejects a download whose checksum is wrong and caches nothing', async () => {
    const dir = emptyDir();
    await expect(loadTinyShakespeare({ cacheDir: dir, url: `${base}/bad.txt`, expected })).rejects.toThrow(/is not Tiny Shakespeare/);
    expect(existsSync(join(dir, 'tinyshakespeare.txt'))).toBe(false);
  });
});
