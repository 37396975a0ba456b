// measures gradeKata with a warm spare, as the kata app does
import { gradeKata } from './grader/engine.ts';
import { prewarm, takeSandbox, closeSpares } from './grader/sandbox/warm-pool.ts';
const keep = setInterval(() => {}, 1000);
const file = 'grader/katas/attention/fixtures/correct/manual-softmax.ts';
const times: number[] = [];
for (let i = 0; i < 7; i++) {
  prewarm();
  const s = await takeSandbox(); await s.warm; s.dispose();
  prewarm();
  await new Promise((r) => setTimeout(r, 2500));
  const t0 = performance.now();
  const r = await gradeKata('attention', file);
  times.push(performance.now() - t0);
  if (!r.passed) console.log('FAILED');
  if (i === 6) console.log(JSON.stringify(r.phases?.map((p) => [p.name.slice(0, 30), Math.round(p.ms)])));
}
await closeSpares();
clearInterval(keep);
times.sort((a, b) => a - b);
console.log(JSON.stringify({ median_ms: Math.round(times[3]!), all: times.map(Math.round) }));
