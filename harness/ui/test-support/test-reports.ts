// Hand-made grader verdicts and kata notes for the UI tests: display data shaped like grader/report.ts, nothing run.
import type { Diagnosis, KataId, KataReport } from '../../../grader/report.ts';
import type { KataDoc, Loaded } from '../kata-docs.ts';

/** The named mistake of the failing report, as the grader would attach it. */
const NO_SCALE: Diagnosis = { id: 'attention/no-scale', explanation: 'The scores are not divided by √dk, so softmax saturates as dk grows.', hintTier: 2 };

export function failingReport(kata: KataId, file: string): KataReport {
  return {
    kata,
    file,
    passed: false,
    mistakes: ['attention/no-scale'],
    diagnoses: [NO_SCALE],
    checks: [
      { name: 'exports scaledDotProductAttention', status: 'pass', message: '', mistake: null },
      { name: 'shape and dtype', status: 'pass', message: '', mistake: null },
      {
        name: 'reference equivalence (fast-check)',
        status: 'fail',
        message:
          'max abs error 0.41 at [0, 1, 0]; 12% of values close\nshrunk counterexample (after 7 shrinks):\n  q [1, 2] = [[0.5, -1]]\n  k [2, 2] = [[1, 0], [0, 1]]',
        mistake: 'attention/no-scale',
      },
      { name: 'permuting keys and values', status: 'pass', message: '', mistake: null },
      { name: 'masked keys change nothing', status: 'pass', message: '', mistake: null },
      { name: 'fewer than 30 lines', status: 'pass', message: '', mistake: null },
    ],
    warnings: [],
    durationMs: 1400,
  };
}

export function passingReport(kata: KataId, file: string): KataReport {
  const report = failingReport(kata, file);
  return {
    ...report,
    passed: true,
    mistakes: [],
    diagnoses: [],
    checks: report.checks.map((c) => ({ ...c, status: 'pass', message: '', mistake: null })),
  };
}

export function sampleDoc(): Loaded<KataDoc> {
  return {
    ok: true,
    value: {
      title: 'Scaled dot-product attention',
      summary: 'Write attention.',
      spec: 'scaledDotProductAttention(q, k, v, mask?) returns softmax(q kᵀ/√dk) v.',
      rules: 'Fewer than 30 lines.',
      hints: [
        { tier: 1, title: 'Shapes', body: 'Tier one: write the shapes down first.' },
        { tier: 2, title: 'Scaling', body: 'Tier two: divide the scores by Math.sqrt(dk).' },
        { tier: 3, title: 'Almost the answer', body: 'Tier three: matMul(q, k, false, true).' },
      ],
    },
  };
}
