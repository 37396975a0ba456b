// --wandb: one W&B run per configuration through the official @wandb/sdk: the config, the train and val losses at their
// steps, and the sample. Without WANDB_API_KEY or without a network it says so in one line and the training goes on.
import type { MetricsLine } from './metrics.ts';
import type { TrainConfig } from './presets.ts';
import type { RunObserver } from './trainer.ts';

export interface WandbRunOptions {
  /** The W&B project every configuration logs into, so their curves share one plot. */
  project: string;
  /** This run's name in W&B, e.g. "baseline" or "mine-baby". */
  name: string;
  /** Logged as the run's config. */
  config: TrainConfig & { [extra: string]: unknown };
  say: (line: string) => void;
}

export type WandbRun = RunObserver & { finish(): Promise<void>; url: string };

/** Where the SDK sends its requests: WANDB_BASE_URL, as the SDK itself reads it, else W&B's own service. */
const wandbBaseUrl = () => process.env.WANDB_BASE_URL || 'https://api.wandb.ai';

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000}s`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });

/**
 * Asks the service who the key belongs to, quickly: the SDK itself retries a failing request for minutes and prints
 * each failure, which is not what a run without a network should do.
 */
async function reachable(base: string, key: string): Promise<string | null> {
  try {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', authorization: `Basic ${Buffer.from(`api:${key}`).toString('base64')}` },
      body: JSON.stringify({ query: 'query Viewer { viewer { id entity } }' }),
      signal: AbortSignal.timeout(8000),
    });
    if (res.status === 401 || res.status === 403) return `${base} refused WANDB_API_KEY (HTTP ${res.status})`;
    if (!res.ok) return `${base} answered HTTP ${res.status}`;
    const body = (await res.json()) as { data?: { viewer?: { entity?: string } | null } };
    if (!body.data?.viewer?.entity) return `${base} did not recognise WANDB_API_KEY`;
    return null;
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    return `cannot reach ${base} (${cause ?? (e as Error).message})`;
  }
}

/** Opens one W&B run, or says in one line why not and returns null (the training goes on either way). */
export async function openWandbRun(o: WandbRunOptions): Promise<WandbRun | null> {
  const key = process.env.WANDB_API_KEY;
  if (!key) {
    o.say('W&B: WANDB_API_KEY is not set (wandb.ai/authorize gives one), so this run is not logged to W&B; training goes on');
    return null;
  }
  const base = wandbBaseUrl();
  const problem = await reachable(base, key);
  if (problem) {
    o.say(`W&B: ${problem}, so this run is not logged to W&B; training goes on`);
    return null;
  }
  const { default: wandb } = await import('@wandb/sdk');
  let run: Awaited<ReturnType<typeof wandb.init>>;
  try {
    run = await withTimeout(
      wandb.init({ project: o.project, name: o.name, config: o.config, settings: { baseUrl: base, apiKey: key, silent: true } }),
      30_000,
      'W&B',
    );
  } catch (e) {
    o.say(`W&B: could not start a run (${(e as Error).message}), so this run is not logged to W&B; training goes on`);
    return null;
  }
  o.say(`W&B: logging to ${run.url()}`);
  // A train line and an evaluation at the same step go to W&B as one row: W&B's history wants each step once.
  let pending: { step: number; data: Record<string, unknown> } | null = null;
  const flush = () => {
    if (pending) run.log(pending.data, pending.step);
    pending = null;
  };
  const add = (step: number, data: Record<string, unknown>) => {
    if (pending && pending.step !== step) flush();
    pending = { step, data: { ...(pending?.data ?? {}), ...data } };
  };
  return {
    url: run.url(),
    metrics(line: MetricsLine) {
      if ('val_loss' in line) add(line.step, { 'val/loss': line.val_loss, 'eval/train_loss': line.train_loss, lr: line.lr });
      else add(line.step, { 'train/loss': line.train_loss });
    },
    sample(text: string, step: number) {
      add(step, { sample: text });
    },
    async finish() {
      flush();
      try {
        await withTimeout(run.finish(), 60_000, 'W&B');
      } catch (e) {
        o.say(`W&B: the run's last rows may not have arrived (${(e as Error).message})`);
      }
    },
  };
}
