/**
 * The ACC rows one GEMM / ALU instruction wrote, as a set over [0, depth) that hands them back as
 * runs of consecutive rows in ascending order — the form the tracer takes fastest (one writeRun
 * per run instead of one write per row). A byte per row and the lowest / highest row marked make
 * adding O(1) and reading O(highest − lowest); one instance serves every instruction of a run.
 */
export class TouchedRows {
  private readonly marks: Uint8Array;
  private lo: number;
  private hi = -1;

  constructor(depth: number) {
    this.marks = new Uint8Array(depth);
    this.lo = depth;
  }

  add(row: number): void {
    this.marks[row] = 1;
    if (row < this.lo) this.lo = row;
    if (row > this.hi) this.hi = row;
  }

  /** Rows [first, first + count): one fill instead of a mark per row (a nest whose rows are consecutive). */
  addRange(first: number, count: number): void {
    // fill() costs more than a loop for the few rows of a typical range (a convolution's row of 7).
    if (count > 32) this.marks.fill(1, first, first + count);
    else for (let r = first; r < first + count; r++) this.marks[r] = 1;
    if (first < this.lo) this.lo = first;
    if (first + count - 1 > this.hi) this.hi = first + count - 1;
  }

  /** Calls each(first, count) per maximal run of marked rows, ascending, and empties the set. */
  drain(each: (first: number, count: number) => void): void {
    const { marks } = this;
    let r = this.lo;
    const hi = this.hi;
    this.lo = marks.length;
    this.hi = -1;
    try {
      // indexOf and fill scan and clear in native code: an ALU or GEMM instruction's rows are
      // typically one long run (hundreds of rows), where a loop per byte costs more.
      while (r <= hi) {
        const first = marks.indexOf(1, r);
        if (first < 0 || first > hi) {
          r = hi + 1;
          break;
        }
        let end = marks.indexOf(0, first);
        if (end < 0 || end > hi + 1) end = hi + 1;
        marks.fill(0, first, end);
        r = end;
        each(first, end - first);
      }
    } finally {
      // Empty even when a sink threw: the next instruction must not report these rows.
      if (r <= hi) marks.fill(0, r, hi + 1);
    }
  }
}
