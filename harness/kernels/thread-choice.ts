// Decides, per matmul shape, whether more threads pay off right now: it times both ways and keeps the faster.
// On an idle multi-core machine sharing wins; on a busy one (every core taken) a second thread is often
// descheduled and the product waits for it, so one thread wins. Load changes, so the slower way is still retried now and then.

interface Stats {
  calls: number;
  pooled: number; // EWMA of ms on all threads (NaN until measured)
  single: number; // EWMA of ms on this thread alone
}

const ALPHA = 0.2; // EWMA weight of a new timing: settles within ~10 calls of a shape (a few training steps)
const EXPLORE_EVERY = 8; // every 8th call of a shape tries the way that is currently slower

export class ThreadChoice {
  private readonly byShape = new Map<string, Stats>();
  /** Calls that ran on all threads, of all calls that could have (for the bench's report). */
  pooledCalls = 0;
  eligibleCalls = 0;

  /** true: run this call on all threads. */
  pick(shape: string): boolean {
    let s = this.byShape.get(shape);
    if (!s) {
      s = { calls: 0, pooled: NaN, single: NaN };
      this.byShape.set(shape, s);
    }
    s.calls++;
    this.eligibleCalls++;
    let pooled: boolean;
    if (Number.isNaN(s.pooled)) pooled = true; // measure both ways first
    else if (Number.isNaN(s.single)) pooled = false;
    else {
      const faster = s.pooled < s.single;
      pooled = s.calls % EXPLORE_EVERY === 0 ? !faster : faster;
    }
    if (pooled) this.pooledCalls++;
    return pooled;
  }

  record(shape: string, pooled: boolean, ms: number): void {
    const s = this.byShape.get(shape)!;
    const key = pooled ? 'pooled' : 'single';
    s[key] = Number.isNaN(s[key]) ? ms : s[key] + ALPHA * (ms - s[key]);
  }
}
