// The kata app's container: owns the state (one reducer over one event union), runs the effects, and picks the screen.
import { existsSync, readFileSync } from 'node:fs';
import { useApp, useInput, useStdout } from 'ink';
import { useEffect, useMemo, useReducer, useRef } from 'react';
import type { KataId, KataReport } from '../../grader/report.ts';
import { initState, reduce, type AppEvent, type Effect, type Setup } from './app-state.ts';
import { EndScreen } from './EndScreen.tsx';
import { appendRecord, type HistoryRecord } from './history.ts';
import { HomeScreen } from './HomeScreen.tsx';
import { KataScreen } from './KataScreen.tsx';
import type { Question } from '../self-check/question.ts';
import type { SaturationReport } from '../self-check/saturation.ts';
import { SelfCheckScreen } from './SelfCheckScreen.tsx';
import { useClock } from './use-clock.ts';
import { useFileWatch, type WatchedFile } from './use-file-watch.ts';
import { terminalSize, useTerminalSize } from './use-terminal-size.ts';
import { endProps, homeProps, kataProps, maxScrollOf, type Texts } from './view-model.ts';
import { selfCheckProps } from './self-check-view.ts';
import { createFreshKataFile, isBlank, kataFile } from './workspace.ts';

export interface AppProps {
  readonly setup: Setup;
  readonly historyFile: string;
  readonly initialRecords: readonly HistoryRecord[];
  readonly texts: Texts;
  /** Grades a file in a sandboxed child process (grader/engine.ts gradeKata); never runs learner code here. */
  readonly grade: (kata: KataId, file: string) => Promise<KataReport>;
  /** Does ahead of time what grading a kata needs that does not depend on the learner's file (its case searches). */
  readonly prepare?: (kata: KataId) => void;
  readonly selfCheck: SelfCheckServices;
  readonly now?: () => number;
}

/** The self-check's slow parts, run outside the reducer: drawing (which builds the trainer's parameters) and the measurement. */
export interface SelfCheckServices {
  draw(seed: number): Promise<Question[]>;
  /** Grades DIR/attention.ts and measures softmax saturation on it, or on the reference when it does not pass. */
  measure(seed: number): Promise<SaturationReport>;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function App({ setup, historyFile, initialRecords, texts, grade, prepare, selfCheck, now = Date.now }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [state, dispatch] = useReducer(reduce, undefined, () => {
    const { columns, rows } = terminalSize(stdout);
    return initState(setup, [...initialRecords], now(), columns, rows);
  });

  useInput((input, key) => dispatch({ type: 'key', input, key, at: now() }));
  useClock((at) => dispatch({ type: 'tick', at }));
  useTerminalSize((columns, rows) => dispatch({ type: 'resize', columns, rows }));

  const active = state.progress.active;
  const watched: WatchedFile[] = useMemo(
    () => (active ? active.filesCreated.map((kata) => ({ kata, path: kataFile(setup.dir, kata), baseline: state.files[kata]?.signature })) : []),
    [active, setup.dir, state.files],
  );
  useFileWatch(setup.dir, watched, (kata, at) => dispatch({ type: 'file-changed', kata, at }));
  const focus = active?.focus;
  useEffect(() => {
    if (focus) prepare?.(focus);
  }, [focus, prepare]);

  function runEffect(effect: Effect, send: (e: AppEvent) => void): void {
    switch (effect.type) {
      case 'append':
        try {
          appendRecord(historyFile, effect.record);
        } catch (error) {
          send({ type: 'history-failed', message: `Could not write your history to ${historyFile}: ${describe(error)}. Check that the folder is writable.` });
        }
        return;
      case 'create-file':
        try {
          const made = createFreshKataFile(setup.dir, effect.kata);
          send({ type: 'file-ready', kata: effect.kata, file: made.file, archivedTo: made.archivedTo, signature: made.signature, at: now() });
        } catch (error) {
          send({ type: 'file-failed', kata: effect.kata, message: `Could not create ${kataFile(setup.dir, effect.kata)}: ${describe(error)}. Pass --dir with a writable folder.` });
        }
        return;
      case 'grade': {
        const file = kataFile(setup.dir, effect.kata);
        if (!existsSync(file)) {
          send({ type: 'grade-skipped', kata: effect.kata, note: `${file} does not exist: save your solution there.`, at: now() });
          return;
        }
        if (isBlank(readFileSync(file, 'utf8'))) {
          send({ type: 'grade-skipped', kata: effect.kata, note: 'Nothing to grade yet: the file holds only comments. Write your solution and save.', at: now() });
          return;
        }
        grade(effect.kata, file).then(
          (report) => {
            send({ type: 'graded', kata: effect.kata, report, savedAt: effect.savedAt, at: now() });
          },
          (error: unknown) => {
            send({ type: 'grade-failed', kata: effect.kata, message: `The grader itself failed: ${describe(error)}. Try npm run grade -- ${effect.kata} for details.`, at: now() });
          },
        );
        return;
      }
      case 'draw-self-check': {
        const { seed } = effect;
        selfCheck.draw(seed).then(
          (questions) => send({ type: 'self-check-drawn', seed, questions }),
          (error: unknown) => send({ type: 'self-check-draw-failed', seed, message: `Could not draw the self-check's questions: ${describe(error)}.` }),
        );
        return;
      }
      case 'measure-saturation': {
        const { seed } = effect;
        selfCheck.measure(seed).then(
          (report) => send({ type: 'saturation-measured', seed, report }),
          (error: unknown) => send({ type: 'saturation-failed', seed, message: `The measurement could not run: ${describe(error)}.` }),
        );
        return;
      }
      case 'exit':
        exit();
        return;
    }
  }

  // Run each queued effect exactly once, in order, then tell the reducer they ran.
  const ran = useRef(0);
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);
  useEffect(() => {
    const fresh = state.outbox.filter((e) => e.id > ran.current);
    if (fresh.length === 0) return;
    ran.current = fresh.at(-1)!.id;
    const send = (event: AppEvent): void => {
      if (mounted.current) dispatch(event);
    };
    for (const effect of fresh) runEffect(effect, send);
    send({ type: 'effects-ran', upTo: ran.current });
  });

  const kata = state.screen === 'kata' ? kataProps(state, texts) : null;
  const maxScroll = kata ? maxScrollOf(kata) : 0;
  useEffect(() => {
    if (maxScroll !== state.maxScroll) dispatch({ type: 'pane-size', maxScroll });
  }, [maxScroll, state.maxScroll]);

  switch (state.screen) {
    case 'home':
      return <HomeScreen {...homeProps(state, texts)} />;
    case 'kata':
      return <KataScreen {...kata!} />;
    case 'end':
      return <EndScreen {...endProps(state)} />;
    case 'self-check':
      return <SelfCheckScreen {...selfCheckProps(state, texts)} />;
  }
}
