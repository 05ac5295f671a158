/**
 * Sequence alignment: which items of two lists correspond, by a signature string per item.
 * Myers' O((N+M)·D) difference algorithm on the part left after trimming the common prefix and
 * suffix, so two nearly equal conversations align in linear time. Past `maxEdits` edits the
 * middle is left unmatched (the caller pairs it positionally), which bounds time and memory on
 * traces that have nothing in common.
 */

/** One step of the alignment: a pair (both set), or an item only in `a` or only in `b`. */
export interface AlignOp {
  a?: number;
  b?: number;
}

export function align(a: readonly string[], b: readonly string[], maxEdits = 2000): AlignOp[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: AlignOp[] = [];
  for (let i = 0; i < start; i++) ops.push({ a: i, b: i });
  const middle = myers(a.slice(start, endA), b.slice(start, endB), maxEdits);
  for (const op of middle)
    ops.push({ ...(op.a !== undefined ? { a: op.a + start } : {}), ...(op.b !== undefined ? { b: op.b + start } : {}) });
  for (let i = 0; i < a.length - endA; i++) ops.push({ a: endA + i, b: endB + i });
  return ops;
}

function myers(a: readonly string[], b: readonly string[], maxEdits: number): AlignOp[] {
  const n = a.length;
  const m = b.length;
  if (!n || !m) return [...a.map((_, i) => ({ a: i })), ...b.map((_, j) => ({ b: j }))];
  const max = Math.min(n + m, maxEdits);
  // trace[d] holds v[k] for k in [-d, d] after round d (index k + d).
  const trace: Int32Array[] = [];
  let v = new Int32Array(1);
  const at = (arr: Int32Array, d: number, k: number) => arr[k + d]!;
  for (let d = 0; d <= max; d++) {
    const next = new Int32Array(2 * d + 1);
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (d === 0) x = 0;
      else if (k === -d || (k !== d && at(v, d - 1, k - 1) < at(v, d - 1, k + 1))) x = at(v, d - 1, k + 1);
      else x = at(v, d - 1, k - 1) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[k + d] = x;
      if (x >= n && y >= m) {
        trace.push(next);
        return backtrack(trace, n, m);
      }
    }
    trace.push(next);
    v = next;
  }
  // Too different: nothing in the middle is paired by signature.
  return [...a.map((_, i) => ({ a: i })), ...b.map((_, j) => ({ b: j }))];
}

function backtrack(trace: Int32Array[], n: number, m: number): AlignOp[] {
  const ops: AlignOp[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const prev = trace[d - 1]!;
    const at = (k: number) => prev[k + d - 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ a: --x, b: --y });
    if (x === prevX) ops.push({ b: --y });
    else ops.push({ a: --x });
  }
  while (x > 0 && y > 0) ops.push({ a: --x, b: --y });
  return ops.reverse();
}
