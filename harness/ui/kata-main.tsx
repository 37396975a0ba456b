// The kata app's main: checks for a terminal, renders <App> on the alternate screen, restores it on exit.
import { render } from 'ink';
import { KATAS } from '../../grader/registry.ts';
import type { KataId, KataReport } from '../../grader/report.ts';
import { App, type SelfCheckServices } from './App.tsx';
import { historyPath, readHistory } from './history.ts';
import { exitSummary } from './exit-summary.ts';
import { loadKataDoc, loadReference, type HintTier } from './kata-docs.ts';

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';

/**
 * The grader engine (with esbuild and the TypeScript checker behind it) takes seconds to load, so it is imported
 * after the first frame is on screen; the import starts at once and the first grading waits for it if needed.
 */
let engine: Promise<typeof import('../../grader/engine.ts')> | undefined;
let pool: Promise<typeof import('../../grader/sandbox/warm-pool.ts')> | undefined;
function loadEngine(): Promise<typeof import('../../grader/engine.ts')> {
  return (engine ??= import('../../grader/engine.ts'));
}
/**
 * Keeps two sandbox children started, with tfjs loaded and its kernels warmed up, for the next save (a kata may grade
 * on two at once): the learner's wait is then the checks alone.
 */
function keepSpareReady(): void {
  void (pool ??= import('../../grader/sandbox/warm-pool.ts')).then((p) => p.prewarm(undefined, 2, { warmUp: true }));
}
async function grade(kata: KataId, file: string): Promise<KataReport> {
  const { gradeKata } = await loadEngine();
  try {
    return await gradeKata(kata, file);
  } finally {
    // once the verdict is on screen: spawning two children and loading tfjs into them would only delay drawing it
    setTimeout(keepSpareReady, 250);
  }
}

/**
 * A kata just opened: once its screen is drawn, its case searches run, so that the first save's verdict does not
 * wait for them (they take up to half a second, once per kata and run of the app).
 */
function prepare(kata: KataId): void {
  setTimeout(() => {
    void loadEngine().then(
      (e) => e.prepareKata(kata),
      () => undefined, // a failure resurfaces, explained, at the first grading
    );
  }, 300);
}

/** The self-check's drawing builds the trainer's parameters with tfjs: loaded after the first frame, like the engine. */
let drawing: Promise<[typeof import('../self-check/draw-self-check.ts'), typeof import('../self-check/gpt-param-census.ts')]> | undefined;
function loadDrawing() {
  return (drawing ??= Promise.all([import('../self-check/draw-self-check.ts'), import('../self-check/gpt-param-census.ts')]));
}

function selfCheckServices(dir: string): SelfCheckServices {
  return {
    draw: async (seed) => {
      const [{ drawSelfCheck }, { gptParamCensus }] = await loadDrawing();
      return drawSelfCheck(seed, gptParamCensus);
    },
    measure: async (seed) => {
      const { measureSaturation } = await import('../self-check/measure-saturation.ts');
      return measureSaturation(dir, seed, (file) => grade('attention', file));
    },
  };
}

/** What `npm run kata` was asked for (harness/cli/kata.tsx reads the command line). */
export interface KataArgs {
  katas: KataId[];
  /** Absolute. */
  dir: string;
  minutes: number;
  /** The folder the learner typed the command in; paths on screen are shown relative to it. */
  cwd: string;
  /** Replays the self-check drawn from this seed. */
  selfCheckSeed?: number;
}

async function main(args: KataArgs): Promise<number> {
  const { cwd } = args;
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    const which = process.stdout.isTTY ? 'stdin' : 'stdout';
    console.error(
      `kata: ${which} is not a terminal, and npm run kata is an interactive app.\n` +
        `To grade your files without it: npm run grade -- ${args.katas.length < KATAS.length ? args.katas.join(' ') + ' ' : ''}--dir ${args.dir}`,
    );
    return 2;
  }

  const historyFile = historyPath(args.dir);
  let history;
  try {
    history = readHistory(historyFile);
  } catch (error) {
    console.error(`kata: cannot read your history ${historyFile}: ${(error as Error).message}. Check its permissions.`);
    return 2;
  }
  const docs = Object.fromEntries(KATAS.map((k) => [k.id, loadKataDoc(k.id)]));
  const references = Object.fromEntries(KATAS.map((k) => [k.id, loadReference(k.id)]));
  const hintTiers = Object.fromEntries(
    KATAS.map((k) => {
      const doc = docs[k.id]!;
      return [k.id, doc.ok ? doc.value.hints.map((h) => h.tier) : []];
    }),
  ) as Partial<Record<KataId, HintTier[]>>;

  process.stdout.write(ENTER_ALT_SCREEN);
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    process.stdout.write(LEAVE_ALT_SCREEN);
  };
  const app = render(
    <App
      setup={{ dir: args.dir, katas: args.katas, minutes: args.minutes, hintTiers, ...(args.selfCheckSeed === undefined ? {} : { selfCheckSeed: args.selfCheckSeed }) }}
      historyFile={historyFile}
      initialRecords={history.records}
      texts={{ docs, references, cwd }}
      grade={grade}
      prepare={prepare}
      selfCheck={selfCheckServices(args.dir)}
    />,
    { exitOnCtrlC: false },
  );
  setTimeout(() => {
    void loadEngine().catch(() => undefined); // a failure resurfaces, explained, at the first grading
    void loadDrawing().catch(() => undefined); // likewise, when the self-check starts
    keepSpareReady();
  }, 50);
  // Killed from outside: restore the terminal, then exit as the signal would have (history is already on disk).
  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(signal, () => {
      app.unmount();
      restore();
      process.exit(code);
    });
  }
  try {
    await app.waitUntilExit();
  } finally {
    restore();
  }
  console.log(exitSummary(readHistory(historyFile).records, Date.now(), args.dir));
  if (history.skippedLines > 0) {
    console.log(`(${history.skippedLines} unreadable line(s) in ${historyFile} were skipped, e.g. a write cut short by a crash.)`);
  }
  return 0;
}

/** Runs the app and exits with its status; a crash restores the terminal and is printed as one line. */
export function runKataApp(args: KataArgs): void {
  main(args).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stdout.write(LEAVE_ALT_SCREEN);
      console.error(`kata: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    },
  );
}
