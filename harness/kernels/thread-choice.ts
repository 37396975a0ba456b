// Decides whether the big matmuls run on all BLAS threads or on one, by timing whole training steps both ways.
// On an idle multi-core machine sharing wins; on a busy one (every core taken) a second thread is often descheduled
// and each product waits for it, so one thread wins. Load changes, so the slower way is still retried now and then.
//
// Whole steps, not single products, are timed: a product shared after products run alone finds the other core asleep
// (a virtual machine's idle vCPU takes ~0.1-0.3 ms to wake), so timed one by one, sharing looked no faster than one
// thread and was kept for a third of the calls; sharing every product of a step made the step 5 ms faster (72.5 →
// 67.7 ms, baby preset, 2-vCPU VM, medians of 3 runs of 50 steps).

/** Steps timed together; each window's fastest step stands for it, since noise only ever adds time. */
const WINDOW = 4;
/** Every 8th window retries the slower way; every 32nd where it was more than 1.3× slower (a busy machine). */
const RETRY_EVERY = 8;
const RETRY_EVERY_FAR = 32;
const FAR = 1.3;

type Way = 'all' | 'one';

export class ThreadChoice {
  private way: Way = 'all';
  private readonly fastest: Record<Way, number> = { all: Number.NaN, one: Number.NaN };
  private window: number[] = [];
  private windows = 0;
  private warm = false;
  /** Steps timed, and how many of them ran their big matmuls on all threads (for the bench's report). */
  steps = 0;
  stepsOnAll = 0;

  /** true: this step's big matmuls run on all threads. */
  sharing(): boolean {
    return this.way === 'all';
  }

  /** One training step took `ms`, its big matmuls run as sharing() said. */
  stepDone(ms: number): void {
    this.steps++;
    if (this.way === 'all') this.stepsOnAll++;
    this.window.push(ms);
    if (this.window.length < WINDOW) return;
    const fastest = Math.min(...this.window);
    this.window = [];
    if (!this.warm) {
      this.warm = true; // the first window compiles and warms caches: it says nothing about threads
      return;
    }
    this.fastest[this.way] = fastest;
    this.windows++;
    if (Number.isNaN(this.fastest.one)) {
      this.way = 'one'; // measure both ways first
      return;
    }
    const best: Way = this.fastest.all <= this.fastest.one ? 'all' : 'one';
    const other: Way = best === 'all' ? 'one' : 'all';
    const every = this.fastest[other] > FAR * this.fastest[best] ? RETRY_EVERY_FAR : RETRY_EVERY;
    this.way = this.windows % every === 0 ? other : best;
  }
}
