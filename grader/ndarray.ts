// The float64 oracle's array type: a plain row-major Float64Array with a shape, and the few ops attention needs.
// Deliberately independent of tfjs, so a tfjs bug or a learner's tampering cannot move the reference.

export interface NDArray {
  shape: number[];
  data: Float64Array;
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function nd(shape: number[], data: ArrayLike<number> | ((i: number) => number)): NDArray {
  const n = size(shape);
  const out = new Float64Array(n);
  if (typeof data === 'function') for (let i = 0; i < n; i++) out[i] = data(i);
  else {
    if (data.length !== n) throw new Error(`nd: ${data.length} values for shape [${shape}]`);
    out.set(data);
  }
  return { shape: [...shape], data: out };
}

export function zeros(shape: number[]): NDArray {
  return { shape: [...shape], data: new Float64Array(size(shape)) };
}

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** Multi-index of flat position i. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return idx;
}

/** NumPy broadcasting of two shapes; throws on incompatibility. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`cannot broadcast [${a}] with [${b}]`);
    out.push(Math.max(x, y));
  }
  return out;
}

/** Flat index into `shape` for a multi-index of the (larger) broadcast shape. */
function broadcastIndex(idx: readonly number[], shape: readonly number[], strides: readonly number[]): number {
  const off = idx.length - shape.length;
  let flat = 0;
  for (let d = 0; d < shape.length; d++) if (shape[d] !== 1) flat += idx[d + off]! * strides[d]!;
  return flat;
}

export function broadcastTo(a: NDArray, shape: number[]): NDArray {
  const st = stridesOf(a.shape);
  return nd(shape, (i) => a.data[broadcastIndex(unravel(i, shape), a.shape, st)]!);
}

export function map(a: NDArray, f: (x: number, i: number) => number): NDArray {
  return nd(a.shape, (i) => f(a.data[i]!, i));
}

export function zip(a: NDArray, b: NDArray, f: (x: number, y: number) => number): NDArray {
  const shape = broadcastShapes(a.shape, b.shape);
  const sa = stridesOf(a.shape);
  const sb = stridesOf(b.shape);
  return nd(shape, (i) => {
    const idx = unravel(i, shape);
    return f(a.data[broadcastIndex(idx, a.shape, sa)]!, b.data[broadcastIndex(idx, b.shape, sb)]!);
  });
}

export const add = (a: NDArray, b: NDArray): NDArray => zip(a, b, (x, y) => x + y);
export const scale = (a: NDArray, s: number): NDArray => map(a, (x) => x * s);

export function reshape(a: NDArray, shape: number[]): NDArray {
  if (size(shape) !== a.data.length) throw new Error(`reshape: [${a.shape}] -> [${shape}]`);
  return { shape: [...shape], data: a.data };
}

/** out.shape[d] = a.shape[perm[d]], like tf.transpose. */
export function permute(a: NDArray, perm: readonly number[]): NDArray {
  const shape = perm.map((p) => a.shape[p]!);
  const st = stridesOf(a.shape);
  return nd(shape, (i) => {
    const idx = unravel(i, shape);
    let flat = 0;
    for (let d = 0; d < perm.length; d++) flat += idx[d]! * st[perm[d]!]!;
    return a.data[flat]!;
  });
}

export function transposeLast2(a: NDArray): NDArray {
  const r = a.shape.length;
  const perm = [...Array(r).keys()];
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return permute(a, perm);
}

/** Batched matmul over the last two axes; leading axes broadcast. a [..., n, k] @ b [..., k, m] -> [..., n, m]. */
export function matmul(a: NDArray, b: NDArray): NDArray {
  const [n, k] = a.shape.slice(-2) as [number, number];
  const [k2, m] = b.shape.slice(-2) as [number, number];
  if (k !== k2) throw new Error(`matmul: inner dims ${k} vs ${k2} ([${a.shape}] @ [${b.shape}])`);
  const lead = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const aLead = broadcastTo(reshape(a, [...a.shape.slice(0, -2), n * k]), [...lead, n * k]);
  const bLead = broadcastTo(reshape(b, [...b.shape.slice(0, -2), k * m]), [...lead, k * m]);
  const batches = size(lead);
  const out = new Float64Array(batches * n * m);
  for (let t = 0; t < batches; t++) {
    const ao = t * n * k;
    const bo = t * k * m;
    const oo = t * n * m;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += aLead.data[ao + i * k + l]! * bLead.data[bo + l * m + j]!;
        out[oo + i * m + j] = s;
      }
  }
  return { shape: [...lead, n, m], data: out };
}

/** Applies f to every 1-D fibre along `axis` (negative counts from the end). */
export function alongAxis(a: NDArray, axis: number, f: (fibre: Float64Array) => Float64Array): NDArray {
  const ax = axis < 0 ? a.shape.length + axis : axis;
  const len = a.shape[ax]!;
  const stride = stridesOf(a.shape)[ax]!;
  const out = new Float64Array(a.data.length);
  const fibre = new Float64Array(len);
  for (let i = 0; i < a.data.length; i++) {
    if (Math.floor(i / stride) % len !== 0) continue; // i is the start of a fibre
    for (let j = 0; j < len; j++) fibre[j] = a.data[i + j * stride]!;
    const r = f(fibre);
    for (let j = 0; j < len; j++) out[i + j * stride] = r[j]!;
  }
  return { shape: [...a.shape], data: out };
}

/** Numerically stable softmax; a fibre that is all -Infinity yields NaN, as in PyTorch. */
export function softmax(a: NDArray, axis = -1): NDArray {
  return alongAxis(a, axis, (x) => {
    const mx = Math.max(...x);
    const e = x.map((v) => Math.exp(v - mx));
    const s = e.reduce((p, q) => p + q, 0);
    return e.map((v) => v / s);
  });
}

/** begin/size slice, like tf.slice (size -1 = to the end). */
export function slice(a: NDArray, begin: number[], sz: number[]): NDArray {
  const shape = sz.map((s, d) => (s < 0 ? a.shape[d]! - begin[d]! : s));
  const st = stridesOf(a.shape);
  return nd(shape, (i) => {
    const idx = unravel(i, shape);
    let flat = 0;
    for (let d = 0; d < idx.length; d++) flat += (idx[d]! + begin[d]!) * st[d]!;
    return a.data[flat]!;
  });
}

/** erf in float64: Maclaurin series below 3, Lentz's continued fraction for erfc above. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  let r: number;
  if (ax < 3) {
    // Maclaurin series: erf x = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 200; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // Continued fraction for erfc (Lentz), converges fast for x >= 3.
    let f = ax;
    let C = ax;
    let D = 0;
    for (let n = 1; n < 300; n++) {
      const an = n / 2;
      D = ax + an * D;
      D = 1 / D;
      C = ax + an / C;
      const delta = C * D;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    r = 1 - Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
  }
  return x < 0 ? -r : r;
}
