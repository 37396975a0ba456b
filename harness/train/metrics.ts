// OUT/metrics.jsonl: a {step, train_loss} line every log interval, and an eval line {step, train_loss, val_loss, lr, tokens_per_s, elapsed_s[, val_se][, alerts][, grader]} at every evaluation.
import type { Alert } from './detectors.ts';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every log interval: the mean loss of the training batches of the steps since the previous one. */
export interface TrainLine {
  /** Steps completed. */
  step: number;
  train_loss: number;
}

/** Every evaluation: both splits over the same fixed, seeded eval batches. */
export interface EvalLine {
  /** Steps completed when the losses were measured (0 = the untrained model). */
  step: number;
  /** Mean loss over the eval batches of each split. */
  train_loss: number;
  val_loss: number;
  /** Standard error of val_loss over its eval batches (the final evaluation only). */
  val_se?: number;
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

export type MetricsLine = TrainLine | EvalLine;

const isEval = (m: MetricsLine): m is EvalLine => 'val_loss' in m;
export const evalsOf = (lines: readonly MetricsLine[]): EvalLine[] => lines.filter(isEval);
export const trainLinesOf = (lines: readonly MetricsLine[]): TrainLine[] => lines.filter((m) => !isEval(m));

const metricsPath = (out: string) => join(out, 'metrics.jsonl');

export function readMetrics(out: string): MetricsLine[] {
  const path = metricsPath(out);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as MetricsLine);
}

export function appendTrainLine(out: string, line: TrainLine): void {
  appendFileSync(metricsPath(out), `${JSON.stringify({ step: line.step, train_loss: round(line.train_loss, 5) })}\n`);
}

export function appendEvalLine(out: string, line: EvalLine): void {
  const ordered: EvalLine = {
    step: line.step,
    train_loss: round(line.train_loss, 5),
    val_loss: round(line.val_loss, 5),
    ...(line.val_se !== undefined ? { val_se: round(line.val_se, 3) } : {}),
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
