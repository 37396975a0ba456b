// Decides whether a training step's big work is shared between threads (the big matmuls on the BLAS's threads,
// batched products and big elementwise kernels with the addon's helper thread) or runs on one, by timing whole steps
// both ways.
// On an idle multi-core machine sharing wins; on a busy one (every core taken) a second thread is often descheduled
// and each product waits for it, so one thread wins. Load changes, so the slower way is still retried now and then.
//
// Whole steps, not single products, are timed: a product shared after products run alone finds the other core asleep
// (a virtual machine's idle vCPU takes ~0.1-0.3 ms to wake), so timed one by one, sharing looked no faster than one
// thread and was kept for a third of the calls; sharing every product of a step made the step 5 ms faster (72.5 →
// 67.7 ms, baby preset, 2-vCPU VM, medians of 3 runs of 50 steps). The first choice follows two warm-up windows and
// two of each way in turn, so one unlucky window early on cannot hold the slower way for long.

/** Steps timed together; each window's fastest step stands for it, since noise only ever adds time. */
const WINDOW = 4;
/** Windows at the start that say nothing about threads: compiling, the heap growing to its working size. */
const WARM_WINDOWS = 2;
/** Windows that alternate the two ways before the first choice (all, one, all, one). */
const FIRST_ROUNDS = 4;
/** Every 8th window retries the slower way; every 32nd where it was more than 1.3× slower (a busy machine). */
const RETRY_EVERY = 8;
const RETRY_EVERY_FAR = 32;
const FAR = 1.3;

type Way = 'all' | 'one';

export class ThreadChoice {
  private way: Way = 'all';
  /** Each way's last two window figures: a way is as fast as the better of them. */
  private readonly recent: Record<Way, number[]> = { all: [], one: [] };
  private window: number[] = [];
  private windows = 0;
  /** Steps timed, and how many of them shared their big work (for the bench's report). */
  steps = 0;
  stepsOnAll = 0;

  /** true: this step's big work is shared between threads. */
  sharing(): boolean {
    return this.way === 'all';
  }

  /** One training step took `ms`, its big work run as sharing() said. */
  stepDone(ms: number): void {
    this.steps++;
    if (this.way === 'all') this.stepsOnAll++;
    this.window.push(ms);
    if (this.window.length < WINDOW) return;
    const fastest = Math.min(...this.window);
    this.window = [];
    this.windows++;
    if (this.windows <= WARM_WINDOWS) return;
    const seen = this.recent[this.way];
    seen.push(fastest);
    if (seen.length > 2) seen.shift();
    const measured = this.windows - WARM_WINDOWS;
    if (measured < FIRST_ROUNDS) {
      this.way = this.way === 'all' ? 'one' : 'all'; // alternate before the first choice
      return;
    }
    const all = Math.min(...this.recent.all);
    const one = Math.min(...this.recent.one);
    const best: Way = all <= one ? 'all' : 'one';
    const other: Way = best === 'all' ? 'one' : 'all';
    const every = Math.max(all, one) > FAR * Math.min(all, one) ? RETRY_EVERY_FAR : RETRY_EVERY;
    this.way = measured % every === 0 ? other : best;
  }
}
