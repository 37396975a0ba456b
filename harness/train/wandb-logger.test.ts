// --wandb through the real @wandb/sdk, pointed (WANDB_BASE_URL) at a local HTTP server that answers as W&B does and
// records every request: the run's config, the train and val losses at their steps, the sample; and the one-line refusals.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpt, generate } from '../../grader/katas/gpt/reference.ts';
import { readSlice } from '../../datasets/tiny-shakespeare-slice.ts';
import { selectBackend } from '../backends/select.ts';
import { PRESETS, type TrainConfig } from './presets.ts';
import { runTraining } from './trainer.ts';
import { openWandbRun } from './wandb-logger.ts';

interface Recorded {
  path: string;
  body: { query?: string; variables?: Record<string, unknown>; files?: Record<string, { offset: number; content: string[] }>; complete?: boolean };
  auth: string | undefined;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let s = '';
    req.on('data', (c: Buffer) => (s += c.toString('utf8')));
    req.on('end', () => resolve(s));
  });

/** A stand-in for api.wandb.ai: GraphQL (viewer, upsertBucket) and the run's file_stream, every request recorded. */
function standIn(): Promise<{ server: Server; url: string; got: Recorded[] }> {
  const got: Recorded[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const body = (raw ? JSON.parse(raw) : {}) as Recorded['body'];
      got.push({ path: req.url ?? '', body, auth: req.headers.authorization });
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/graphql' && body.query?.includes('viewer')) {
        res.end(JSON.stringify({ data: { viewer: { id: 'u1', entity: 'learner', flags: '{}', teams: { edges: [] } } } }));
      } else if (req.url === '/graphql' && body.query?.includes('upsertBucket')) {
        const v = body.variables ?? {};
        res.end(JSON.stringify({
          data: {
            upsertBucket: {
              bucket: { id: 'b1', name: v.name, displayName: v.displayName, description: null, config: v.config, sweepName: null, project: { id: 'p1', name: v.project, entity: { id: 'e1', name: v.entity } } },
              inserted: true,
            },
          },
        }));
      } else res.end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got })));
}

const text = { text: readSlice(50_000), path: 'tinyshakespeare[0:50k]' };
const config: TrainConfig = { ...PRESETS.tiny, nEmbd: 16, blockSize: 16, batchSize: 4, iters: 20, evalInterval: 10, logInterval: 5, evalIters: 1, finalEvalIters: 2, sampleChars: 40 };
const KEY = 'k'.repeat(40);
let stand: Awaited<ReturnType<typeof standIn>>;
const saved = { key: process.env.WANDB_API_KEY, base: process.env.WANDB_BASE_URL };

beforeAll(async () => {
  await selectBackend('wasm');
  stand = await standIn();
});
afterAll(() => {
  stand.server.close();
  for (const [k, v] of [['WANDB_API_KEY', saved.key], ['WANDB_BASE_URL', saved.base]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('--wandb', () => {
  it('logs the config, the train loss of every log interval, the val loss of every evaluation and the sample, through @wandb/sdk', async () => {
    process.env.WANDB_API_KEY = KEY;
    process.env.WANDB_BASE_URL = stand.url;
    const said: string[] = [];
    const run = await openWandbRun({ project: 'gpt-kata-test', name: 'baseline', config: { ...config, preset: 'tiny' }, say: (l) => said.push(l) });
    expect(run, said.join('\n')).not.toBeNull();
    expect(said).toEqual([`W&B: logging to ${stand.url}/learner/gpt-kata-test/runs/${/runs\/([^/]+)$/.exec(run!.url)![1]}`]);
    const result = await runTraining({
      title: 'wandb test',
      preset: 'tiny',
      out: mkdtempSync(join(tmpdir(), 'gpt-kata-wandb-')),
      config,
      seed: 5,
      resume: false,
      text,
      model: { kind: 'gpt', source: 'reference', gpt, generate },
      backend: 'wasm',
      stream: { write: () => true },
      observer: run!,
    });
    await run!.finish();

    expect(stand.got.every((r) => r.auth === `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}`)).toBe(true);
    const upsert = stand.got.find((r) => r.body.query?.includes('upsertBucket'))!;
    expect(upsert.body.variables).toMatchObject({ project: 'gpt-kata-test', displayName: 'baseline' });
    expect(JSON.parse(upsert.body.variables!.config as string)).toMatchObject({ nEmbd: 16, iters: 20, lr: config.lr, preset: 'tiny' });

    const streams = stand.got.filter((r) => r.path === '/files/learner/gpt-kata-test/' + String(upsert.body.variables!.name) + '/file_stream');
    const history = streams.flatMap((r) => r.body.files?.['wandb-history.jsonl']?.content ?? []).map((l) => JSON.parse(l) as Record<string, unknown>);
    const at = (key: string) => history.filter((h) => key in h).map((h) => [h._step, h[key]]);
    const evals = result.evals;
    expect(at('train/loss').map(([s]) => s)).toEqual([5, 10, 15, 20]);
    expect(at('val/loss').map(([s]) => s)).toEqual([0, 10, 20]);
    at('val/loss').forEach(([, v], i) => expect(v as number).toBeCloseTo(evals[i]!.val_loss, 4)); // metrics.jsonl rounds to 6 digits
    expect(at('sample')).toEqual([[20, result.sample]]);
    expect(new Set(history.map((h) => h._step)).size).toBe(history.length); // each step once: W&B's history wants that
    expect(streams.at(-1)!.body.complete).toBe(true);
  });

  it('without WANDB_API_KEY, or with W&B out of reach, says so in one line and gives no run', async () => {
    delete process.env.WANDB_API_KEY;
    const said: string[] = [];
    expect(await openWandbRun({ project: 'p', name: 'n', config: { ...config }, say: (l) => said.push(l) })).toBeNull();
    process.env.WANDB_API_KEY = KEY;
    const closed = await standIn();
    closed.server.close(); // nothing listens there now
    process.env.WANDB_BASE_URL = closed.url;
    expect(await openWandbRun({ project: 'p', name: 'n', config: { ...config }, say: (l) => said.push(l) })).toBeNull();
    expect(said).toEqual([
      'W&B: WANDB_API_KEY is not set (wandb.ai/authorize gives one), so this run is not logged to W&B; training goes on',
      `W&B: cannot reach ${closed.url} (ECONNREFUSED), so this run is not logged to W&B; training goes on`,
    ]);
  });
});
