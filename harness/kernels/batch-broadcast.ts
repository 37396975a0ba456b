// Where each output matrix of a BatchMatMul reads its operands when batch axes broadcast both ways ([2,1] against [1,3]).

/** Row-major element strides of `shape`, padded on the left to `rank` axes, with 0 for axes of size 1 (broadcast). */
export function broadcastStrides(shape: readonly number[], rank: number, matrix: number): number[] {
  const padded = [...Array<number>(rank - shape.length).fill(1), ...shape]; // missing leading axes broadcast
  const strides = Array<number>(rank).fill(0);
  let step = matrix;
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = padded[i] === 1 ? 0 : step;
    step *= padded[i]!;
  }
  return strides;
}

/**
 * For each output matrix i (row-major over `outer`, the broadcast batch shape), the element offsets of its A and
 * B matrices: `aMatrix` = M·K and `bMatrix` = K·N floats apart along their own batch axes.
 */
export function batchOffsets(outer: readonly number[], outerA: readonly number[], outerB: readonly number[],
  aMatrix: number, bMatrix: number): { a: number[]; b: number[] } {
  const rank = outer.length;
  const sa = broadcastStrides(outerA, rank, aMatrix);
  const sb = broadcastStrides(outerB, rank, bMatrix);
  const batch = outer.reduce((p, d) => p * d, 1);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < batch; i++) {
    let ea = 0;
    let eb = 0;
    for (let axis = rank - 1, rest = i; axis >= 0; axis--) {
      const at = rest % outer[axis]!;
      rest = Math.floor(rest / outer[axis]!);
      ea += at * sa[axis]!;
      eb += at * sb[axis]!;
    }
    a.push(ea);
    b.push(eb);
  }
  return { a, b };
}
