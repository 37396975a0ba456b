// train:mine's and experiments --mine's gate: grade the learner's gpt.ts with the grader's engine, refuse with the failing checks, then import it for real.
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Generate, GPT } from '../../katas/contracts.ts';
import type { KataReport } from '../../grader/report.ts';
import { gradeKata } from '../../grader/engine.ts';
import { failureLines } from '../../grader/render-report.ts';
import { bundleSolution } from '../../grader/sandbox/bundle.ts';
import { failsGraderMark } from './grader-mark.ts';
import { modelCodeOf, type ModelCode } from './model-code.ts';
import { UserError } from '../../grader/user-error.ts';

export interface LearnerGpt {
  file: string;
  gpt: GPT;
  generate: Generate;
  /** The bundle that was loaded and its sources: a run keeps them with its checkpoint. */
  code: ModelCode;
  /** Set when the file failed the grader and was loaded anyway (train:mine --anyway): the named mistakes. */
  failsGrader?: string[];
}

export interface LoadOptions {
  /** The command that refuses, for the refusal's wording (default "train:mine"). */
  command?: string;
  /** Load a failing file anyway (train:mine --anyway) instead of refusing it. */
  anyway?: boolean;
}

const show = (file: string) => {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
};

/** The refusal: every failing check as the plain-text report shows it (diagnosis, message), then the mistake ids. */
function refusalMessage(report: KataReport, command = 'train:mine'): string {
  const lines = [`${show(report.file)} does not pass the gpt kata yet, so ${command} will not train it:`];
  lines.push(...failureLines(report, { tagMistake: true }).filter((l) => l.trim()));
  if (report.mistakes.length) lines.push(`  named mistakes: ${report.mistakes.join(', ')}`);
  lines.push(`Fix it (npm run grade shows the details), then run npm run ${command} again${command === 'train:mine' ? ' (or add --anyway to watch what the mistake does to training)' : ''}.`);
  return lines.join('\n');
}

/** Grades DIR/gpt.ts, refuses unless it passes (or opts.anyway), then loads it into this process. */
export async function loadLearnerGpt(dir: string, say: (line: string) => void, opts: LoadOptions = {}): Promise<LearnerGpt> {
  const command = opts.command ?? 'train:mine';
  const file = resolve(dir, 'gpt.ts');
  if (!existsSync(file)) {
    throw new UserError(`no gpt.ts in ${dir}: write it first (npm run kata, kata 5), or pass --dir DIR with your gpt.ts`);
  }
  say(`grading ${show(file)} (the gpt kata) first ...`);
  const report = await gradeKata('gpt', file);
  const passed = report.checks.filter((c) => c.status === 'pass').length;
  if (!report.passed && !opts.anyway) throw new UserError(refusalMessage(report, command));
  if (report.passed) say(`${show(file)} passes the gpt kata (${passed} checks, ${(report.durationMs / 1000).toFixed(1)}s)`);
  else {
    for (const l of refusalMessage(report, command).split('\n').slice(1, -1)) say(l);
    say(`--anyway: training it regardless; ${failsGraderMark(report.mistakes)}`);
  }
  const built = await bundleSolution(file, 'import');
  if (!built.ok) throw new UserError(`${show(file)} passed the grader but could not be bundled for training: ${built.where ?? file}: ${built.message}`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(built.path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new UserError(`${show(file)} passed the grader but could not be loaded for training: ${(e as Error).message}`, { cause: e });
  }
  if (typeof mod.gpt !== 'function' || typeof mod.generate !== 'function') {
    throw new UserError(`${show(file)} must export functions gpt and generate (it exports: ${Object.keys(mod).join(', ') || 'nothing'})`);
  }
  return { file, gpt: mod.gpt as GPT, generate: mod.generate as Generate, code: modelCodeOf(file, built.path), ...(report.passed ? {} : { failsGrader: report.mistakes }) };
}
