// The shared shape of every kata's corpus test: the reference and every correct fixture pass; every faulty fixture
// fails, naming its mistake (or, for the few that only crash on batched input, the generic id listed here).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeKata } from '../engine.ts';
import { mistakeCatalogue } from '../mistake-catalogue.ts';
import type { KataId } from '../report.ts';
import { PROJECT_ROOT } from '../sandbox/paths.ts';
import { type Graded, declaredMistake, explain, fixtureFiles, gradeFixtures } from './fixture-corpus.ts';

/**
 * Faulty fixtures whose mistake the grader reports generically, and why: these throw on every batched input,
 * so no output is left to compare with a variant; the error message (shown to the learner) says what broke.
 */
const GENERIC_VERDICTS: Record<string, string> = {
  'attention/faulty/softmax-axis--no-keepdims.ts': 'crash',
  'attention/faulty/transpose-all-axes.ts': 'crash',
  'causal-mask/faulty/mask-dtype.ts': 'shape',
  'gpt/faulty/generate-batch-one.ts': 'crash',
};

/**
 * Budgets for the corpus runs: what the corpus checks is the verdict and the name, not the wall clock, so a machine
 * shared with other work must not turn a slow load into a 'timeout' (the hostile fixtures test the real budgets).
 */
const CORPUS_BUDGETS = { loadTimeoutMs: 120_000, callTimeoutMs: 60_000, timeoutMs: 600_000 };

export function kataCorpusTests(kata: KataId): void {
  describe(`${kata}: the solution corpus`, () => {
    const dir = join(PROJECT_ROOT, 'grader', 'katas', kata, 'fixtures');
    const correct = fixtureFiles(join(dir, 'correct')).map((f) => join(dir, 'correct', f));
    const faulty = fixtureFiles(join(dir, 'faulty')).map((f) => join(dir, 'faulty', f));
    const reference = join(PROJECT_ROOT, 'grader', 'katas', kata, 'reference.ts');
    let graded: Map<string, Graded>;

    let referenceReport: Awaited<ReturnType<typeof gradeKata>>;
    let catalogue: Awaited<ReturnType<typeof mistakeCatalogue>>;
    beforeAll(async () => {
      catalogue = await mistakeCatalogue();
      // the reference imports its sibling katas, so it is graded where it lies
      [referenceReport, graded] = await Promise.all([gradeKata(kata, reference, CORPUS_BUDGETS), gradeFixtures(kata, [...correct, ...faulty], CORPUS_BUDGETS)]);
    }, 600_000);

    it('has at least three correct styles and a faulty file for every catalogued mistake', () => {
      expect(correct.length).toBeGreaterThanOrEqual(3);
      const declared = new Set(faulty.map((f) => f.split('/').pop()!.replace(/(--.*)?\.ts$/, '')));
      const catalogued = [...catalogue.values()].filter((m) => m.kata === kata).map((m) => m.id).filter((id) => !declared.has(id.split('/')[1]!));
      expect(catalogued, 'catalogued mistakes without a faulty fixture').toEqual([]);
    });

    it('passes the reference solution', () => {
      const g = { name: 'reference', header: '', report: referenceReport };
      expect(g.report.passed, explain(g)).toBe(true);
    });

    for (const f of correct) {
      const name = `correct/${f.split('/').pop()}`;
      it(`passes ${name}`, () => {
        const g = graded.get(name)!;
        expect(g.report.passed, explain(g)).toBe(true);
        expect(g.report.mistakes).toEqual([]);
      });
    }

    for (const f of faulty) {
      const name = `faulty/${f.split('/').pop()}`;
      it(`fails ${name} and names the mistake`, () => {
        const g = graded.get(name)!;
        expect(g.report.passed, explain(g)).toBe(false);
        const declared = declaredMistake(g.header);
        const want = GENERIC_VERDICTS[`${kata}/${name}`] ?? declared;
        expect(want, `${name} must declare its mistake on line 1`).not.toBeNull();
        expect(catalogue.get(want!), `${want} is not in the catalogue`).toBeDefined();
        expect(g.report.mistakes, explain(g)).toContain(want);
        expect(g.report.mistakes[0], `the most specific mistake comes first\n${explain(g)}`).toBe(want);
      });
    }
  });
}

