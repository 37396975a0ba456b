// OUT/metrics.jsonl: one JSON object per eval, {step, train_loss, val_loss, lr, tokens_per_s, elapsed_s[, alerts][, grader]}.
import type { Alert } from './detectors.ts';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MetricsLine {
  /** Steps completed when the losses were measured (0 = the untrained model). */
  step: number;
  /** Mean loss over the eval batches of each split. */
  train_loss: number;
  val_loss: number;
  /** The schedule's learning rate at this step. */
  lr: number;
  /** Training throughput since the previous eval (eval time excluded). */
  tokens_per_s: number;
  /** Wall time since the run started, evals included, summed across --resume. */
  elapsed_s: number;
  /** What the detectors said since the previous eval (absent when they were silent). */
  alerts?: Alert[];
  /** Only on a train:mine --anyway run: "this gpt.ts FAILS the grader (mistakes: …)". */
  grader?: string;
}

const metricsPath = (out: string) => join(out, 'metrics.jsonl');

export function readMetrics(out: string): MetricsLine[] {
  const path = metricsPath(out);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as MetricsLine);
}

export function appendMetrics(out: string, line: MetricsLine): void {
  const ordered: MetricsLine = {
    step: line.step,
    train_loss: round(line.train_loss, 5),
    val_loss: round(line.val_loss, 5),
    lr: round(line.lr, 8),
    tokens_per_s: Math.round(line.tokens_per_s),
    elapsed_s: round(line.elapsed_s, 2),
    ...(line.alerts?.length ? { alerts: line.alerts } : {}),
    ...(line.grader ? { grader: line.grader } : {}),
  };
  appendFileSync(metricsPath(out), `${JSON.stringify(ordered)}\n`);
}

/** Keeps the lines measured before `step` (on --resume, the run re-measures from there); with no step, starts afresh. */
export function resetMetrics(out: string, keepBeforeStep = 0): void {
  const kept = readMetrics(out).filter((m) => m.step < keepBeforeStep);
  writeFileSync(metricsPath(out), kept.map((m) => `${JSON.stringify(m)}\n`).join(''));
}

function round(x: number, digits: number): number {
  return Number(x.toPrecision(digits + 1));
}
