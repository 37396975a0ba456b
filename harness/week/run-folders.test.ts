// Reading runs/: evals from both metrics.jsonl layouts, and which folder is the latest train:mine, bigram and experiments --mine.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRuns, readEvals } from './run-folders.ts';

const root = mkdtempSync(join(tmpdir(), 'week-runs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(dir: string, model: object | null, metrics: object[], ageS: number): void {
  mkdirSync(join(dir, 'checkpoint'), { recursive: true });
  if (model) writeFileSync(join(dir, 'checkpoint', 'model.json'), JSON.stringify({ model, train: { batchSize: 4 } }));
  writeFileSync(join(dir, 'metrics.jsonl'), metrics.map((m) => `${JSON.stringify(m)}\n`).join(''));
  const t = Date.now() / 1000 - ageS;
  utimesSync(join(dir, 'metrics.jsonl'), t, t);
}

describe('run folders', () => {
  it('reads evals from an eval-only metrics.jsonl and from one with train-loss rows between evals', () => {
    const old = join(root, 'old');
    run(old, null, [{ step: 0, train_loss: 4.2, val_loss: 4.2, lr: 0 }, { step: 10, train_loss: 3, val_loss: 3.1, lr: 0 }], 0);
    expect(readEvals(old)).toEqual([{ step: 0, trainLoss: 4.2, valLoss: 4.2 }, { step: 10, trainLoss: 3, valLoss: 3.1 }]);
    const fresh = join(root, 'fresh');
    run(fresh, null, [{ step: 0, train_loss: 4.2, val_loss: 4.2 }, { step: 1, train_loss: 4.1 }, { step: 2, train_loss: 3.9 }, { step: 2, val_loss: 3.8 }], 0);
    writeFileSync(join(fresh, 'metrics.jsonl'), '{"step": 3, "train_l', { flag: 'a' }); // a line cut short by a crash
    expect(readEvals(fresh)).toEqual([{ step: 0, trainLoss: 4.2, valLoss: 4.2 }, { step: 2, trainLoss: null, valLoss: 3.8 }]);
  });

  it('picks the newest train:mine run, the newest bigram and the newest experiments --mine folder', () => {
    const runs = join(root, 'runs');
    const gpt = (source: string) => ({ kind: 'gpt', source, config: { vocabSize: 65, blockSize: 8, nEmbd: 16, nHead: 2, nLayer: 1, activation: 'relu' } });
    const evals = [{ step: 0, train_loss: 4, val_loss: 4 }];
    run(join(runs, 'mine-tiny'), gpt('mine'), evals, 100);
    run(join(runs, 'my-own-name'), gpt('mine'), evals, 10);
    run(join(runs, 'reference-baby'), gpt('reference'), evals, 1);
    run(join(runs, 'experiments-mine-tiny', 'baseline'), gpt('mine'), evals, 50);
    run(join(runs, 'experiments-mine-tiny', 'bigram'), { kind: 'bigram', source: 'reference' }, evals, 50);
    writeFileSync(join(runs, 'experiments-mine-tiny', 'results.json'), JSON.stringify([{ name: 'baseline', change: 'as is', params: 10, final_train_loss: 2, final_val_loss: 2.1 }]));
    run(join(runs, 'experiments-tiny', 'baseline'), gpt('reference'), evals, 5);
    writeFileSync(join(runs, 'experiments-tiny', 'results.json'), '[]');
    const found = findRuns(runs);
    expect(found.trainMine?.dir).toBe(join(runs, 'my-own-name'));
    expect(found.trainMine?.batchSize).toBe(4);
    expect(found.bigram?.dir).toBe(join(runs, 'experiments-mine-tiny', 'bigram'));
    expect(found.experimentsMine?.dir).toBe(join(runs, 'experiments-mine-tiny'));
    expect(found.experimentsMine?.rows).toEqual([{ name: 'baseline', change: 'as is', params: 10, trainLoss: 2, valLoss: 2.1 }]);
    expect(findRuns(join(root, 'nowhere'))).toEqual({ trainMine: null, bigram: null, experimentsMine: null });
  });
});
