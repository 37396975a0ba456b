// Decides how a training step's big work uses the cores, by timing whole steps each way:
//  - 'pair': every big product and big elementwise kernel is shared between the caller and the addon's one helper
//    thread, each piece on one BLAS thread;
//  - 'all': single big products on the BLAS's own threads (every core), the rest shared with the helper as in 'pair';
//  - 'one': everything on the calling thread.
// On an idle 2-core VM 'pair' wins: the helper is awake from the kernel before (it spins briefly after each job),
// while OpenBLAS's sleeping workers pay a vCPU wake-up on every product. With many cores the BLAS's own threads can
// win. On a busy machine (every core taken) a second thread is often descheduled and the work waits for it, so 'one'
// wins. Load changes, so the slower ways are still retried now and then.
//
// Whole steps, not single products, are timed: a product shared after products run alone finds the other core asleep
// (a virtual machine's idle vCPU takes ~0.1-0.3 ms to wake), so timed one by one, sharing looked no faster than one
// thread and was kept for a third of the calls; sharing every product of a step made the step 5 ms faster (72.5 →
// 67.7 ms, baby preset, 2-vCPU VM, medians of 3 runs of 50 steps). The first choice follows warm-up windows and two
// windows of each way in turn, so one unlucky window early on cannot hold a slower way for long; a way already 1.5×
// slower after its first window (one thread on a busy machine is 3× faster) is not timed a second time. Windows are
// two steps, as every step spent on a slower way is lost: on the idle 2-vCPU VM, four-step windows held 16 slower
// steps (58 and 68 ms against 45) among the first 32.
/** Steps timed together; each window's fastest step stands for it, since noise only ever adds time. */
const WINDOW = 2;
/** Windows at the start that say nothing about threads (8 steps): compiling, the heap growing to its working size. */
const WARM_WINDOWS = 4;
/**
 * Every 16th window retries a slower way (in turn), every 64th where all were more than 1.3× slower (a busy machine):
 * a retry costs its window's slowdown, ~2% of the steps at one in 8. A way in use that gets slower is seen at once,
 * in its own windows; only a slower way that became faster waits for its retry.
 */
const RETRY_EVERY = 16;
const RETRY_EVERY_FAR = 64;
const FAR = 1.3;
/** Before the first choice, a way this much slower than the fastest after its first window is not timed again. */
const HOPELESS = 1.5;

export type Way = 'pair' | 'all' | 'one';
const WAYS: readonly Way[] = ['pair', 'all', 'one'];

export class ThreadChoice {
  private way: Way = WAYS[0]!;
  /** Each way's last two window figures: a way is as fast as the better of them. */
  private readonly recent: Record<Way, number[]> = { pair: [], all: [], one: [] };
  private window: number[] = [];
  private windows = 0;
  /** The ways still to time before the first choice, in turn, twice; 'pair' runs the first window after warm-up. */
  private readonly firstRounds: Way[] = [...WAYS.slice(1), ...WAYS];
  private retries = 0;
  /** Steps timed, and how many of them shared their big work (for the bench's report), by way. */
  steps = 0;
  readonly stepsBy: Record<Way, number> = { pair: 0, all: 0, one: 0 };

  /** How this step's big work runs. */
  current(): Way {
    return this.way;
  }

  /** true: this step's big work is shared between threads (either way of sharing). */
  sharing(): boolean {
    return this.way !== 'one';
  }

  /** One training step took `ms`, its big work run as current() said. */
  stepDone(ms: number): void {
    this.steps++;
    this.stepsBy[this.way]++;
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
    const speed = (w: Way) => Math.min(...this.recent[w]);
    while (this.firstRounds.length > 0) {
      const next = this.firstRounds.shift()!;
      const leader = Math.min(...WAYS.filter((w) => this.recent[w].length > 0).map(speed));
      if (this.recent[next].length > 0 && speed(next) > HOPELESS * leader) continue;
      this.way = next;
      return;
    }
    const ranked = [...WAYS].sort((a, b) => speed(a) - speed(b));
    const best = ranked[0]!;
    const slower = ranked.slice(1);
    const every = slower.every((w) => speed(w) > FAR * speed(best)) ? RETRY_EVERY_FAR : RETRY_EVERY;
    this.way = measured % every === 0 ? slower[this.retries++ % slower.length]! : best;
  }
}
