// Goodness-of-fit for sampled tokens: the G-test and the chi-square survival function it needs.

/** ln Γ(x), Lanczos approximation (g = 7, n = 9), accurate to ~1e-15. */
function lnGamma(x: number): number {
  const c = [0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.61503916999186, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized upper incomplete gamma Q(a, x) (Numerical Recipes' gammq). */
function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) {
    let sum = 1 / a;
    let del = sum;
    for (let n = 1; n < 500; n++) {
      del *= x / (a + n);
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-15) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
  }
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
}

/** P(χ²_df ≥ x). */
export function chiSquareSurvival(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}

/** G-test of observed counts against probabilities; p-value (0 if a zero-probability outcome was observed). */
export function gTest(counts: number[], probs: number[]): { g: number; p: number } {
  const n = counts.reduce((a, b) => a + b, 0);
  let g = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i]! === 0) continue;
    if (probs[i]! <= 0) return { g: Infinity, p: 0 };
    g += 2 * counts[i]! * Math.log(counts[i]! / (n * probs[i]!));
  }
  const df = probs.filter((q) => q > 0).length - 1;
  return { g, p: df > 0 ? chiSquareSurvival(g, df) : 1 };
}

/** Log-likelihood of counts under probs. */
export function logLikelihood(counts: number[], probs: number[]): number {
  return counts.reduce((s, c, i) => (c === 0 ? s : s + c * Math.log(Math.max(probs[i]!, 1e-300))), 0);
}

/** Kullback–Leibler divergence KL(p || q). */
export function kl(p: number[], q: number[]): number {
  return p.reduce((s, pi, i) => (pi === 0 ? s : s + pi * Math.log(pi / Math.max(q[i]!, 1e-300))), 0);
}

/** The x with P(χ²_df ≥ x) = p (bisection on the survival function). */
export function chiSquareCritical(p: number, df: number): number {
  let lo = 0;
  let hi = 1;
  while (chiSquareSurvival(hi, df) > p) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (chiSquareSurvival(mid, df) > p) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * How many standard deviations the G statistic of n draws from `q`, tested against `p`, lies above `critical`:
 * G ≈ 2n·KL(q || p), with variance 4n·Var_q[ln(q/p)] (the delta method). The chance a G-test at that critical
 * value misses a sampler that draws from q is about the normal tail beyond this many sds; Infinity if q is one
 * outcome (G is then exact) and G exceeds the critical value.
 */
export function gTestMargin(q: number[], p: number[], n: number, critical: number): number {
  const d = kl(q, p);
  const v = q.reduce((s, qi, i) => (qi === 0 ? s : s + qi * (Math.log(qi / p[i]!) - d) ** 2), 0);
  const excess = 2 * n * d - critical;
  return v < 1e-300 ? (excess > 0 ? Infinity : -Infinity) : excess / Math.sqrt(4 * n * v);
}


/**
 * The G-test's p-value computed exactly, by summing the multinomial probability of every count vector whose G is
 * at least the observed one (no χ² approximation, so it holds for small expected counts too). Enumerates
 * C(n + k − 1, k − 1) vectors for k outcomes; null when that is more than `limit`.
 */
export function gTestExact(counts: number[], probs: number[], limit = 3e6): number | null {
  const n = counts.reduce((a, b) => a + b, 0);
  const k = probs.length;
  let vectors = 1;
  for (let j = 1; j < k; j++) vectors = (vectors * (n + j)) / j;
  if (vectors > limit) return null;
  const observed = gTest(counts, probs).g;
  if (!Number.isFinite(observed)) return 0;
  const lnFact = [0];
  for (let i = 1; i <= n; i++) lnFact.push(lnFact[i - 1]! + Math.log(i));
  const lnP = probs.map((p) => (p > 0 ? Math.log(p) : -Infinity));
  const term = (c: number) => (c === 0 ? 0 : 2 * c * Math.log(c / n));
  let tail = 0;
  const c = new Array<number>(k).fill(0);
  // depth-first over c[0..k-2]; the last count is what is left
  const walk = (j: number, left: number, g: number, lp: number): void => {
    if (j === k - 1) {
      if (left > 0 && probs[j]! <= 0) return;
      const gFull = g + term(left) - (left > 0 ? 2 * left * lnP[j]! : 0);
      const lpFull = lp - lnFact[left]! + (left > 0 ? left * lnP[j]! : 0);
      if (gFull >= observed - 1e-9) tail += Math.exp(lpFull);
      return;
    }
    for (let x = 0; x <= left; x++) {
      if (x > 0 && probs[j]! <= 0) break;
      c[j] = x;
      walk(j + 1, left - x, g + term(x) - (x > 0 ? 2 * x * lnP[j]! : 0), lp - lnFact[x]! + (x > 0 ? x * lnP[j]! : 0));
    }
  };
  walk(0, n, 0, lnFact[n]!);
  return Math.min(1, tail);
}
