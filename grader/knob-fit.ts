// Fits one continuous knob of an oracle to a learner's outputs by 1-D search: a coarse grid, then golden-section
// refinement around the best grid point. Used to name mistakes such as a wrong scale factor or LayerNorm ε.

/** The x in [lo, hi] that minimises `cost` (log-spaced search when `log`). */
export function fitKnob(cost: (x: number) => number, lo: number, hi: number, log: boolean, gridPoints = 48): { x: number; cost: number } {
  const to = (u: number) => (log ? Math.exp(u) : u);
  const [a, b] = log ? [Math.log(lo), Math.log(hi)] : [lo, hi];
  const f = (u: number) => {
    const c = cost(to(u));
    return Number.isNaN(c) ? Infinity : c;
  };
  const step = (b - a) / (gridPoints - 1);
  let bestU = a;
  let best = Infinity;
  for (let k = 0; k < gridPoints; k++) {
    const u = a + k * step;
    const c = f(u);
    if (c < best) [bestU, best] = [u, c];
  }
  // golden section on the bracket around the best grid point
  let l = Math.max(a, bestU - step);
  let r = Math.min(b, bestU + step);
  const g = (Math.sqrt(5) - 1) / 2;
  let m1 = r - g * (r - l);
  let m2 = l + g * (r - l);
  let f1 = f(m1);
  let f2 = f(m2);
  for (let it = 0; it < 40; it++) {
    if (f1 <= f2) {
      [r, m2, f2] = [m2, m1, f1];
      m1 = r - g * (r - l);
      f1 = f(m1);
    } else {
      [l, m1, f1] = [m1, m2, f2];
      m2 = l + g * (r - l);
      f2 = f(m2);
    }
  }
  const [u, c] = f1 <= f2 ? [m1, f1] : [m2, f2];
  return c <= best ? { x: to(u), cost: c } : { x: to(bestU), cost: best };
}
