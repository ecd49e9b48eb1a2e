import { describe, expect, it } from 'vitest';
import { TouchedRows } from './touched-rows.js';

const drained = (t: TouchedRows) => {
  const runs: [number, number][] = [];
  t.drain((first, count) => runs.push([first, count]));
  return runs;
};

describe('TouchedRows', () => {
  it('hands rows back as ascending runs of consecutive rows, each row once', () => {
    const t = new TouchedRows(32);
    for (const r of [9, 3, 4, 31, 5, 3, 10, 0]) t.add(r);
    expect(drained(t)).toEqual([
      [0, 1],
      [3, 3],
      [9, 2],
      [31, 1],
    ]);
  });

  it('takes ranges of rows as it takes rows one by one', () => {
    const t = new TouchedRows(64);
    t.addRange(10, 5);
    t.add(15);
    t.addRange(40, 3);
    t.addRange(2, 1);
    t.addRange(11, 2);
    expect(drained(t)).toEqual([
      [2, 1],
      [10, 6],
      [40, 3],
    ]);
    t.addRange(63, 1);
    expect(drained(t)).toEqual([[63, 1]]);
  });

  it('is empty after a drain, also when the consumer threw', () => {
    const t = new TouchedRows(8);
    t.add(2);
    t.add(6);
    expect(() =>
      t.drain(() => {
        throw new Error('sink failed');
      }),
    ).toThrow('sink failed');
    expect(drained(t)).toEqual([]);
    t.add(1);
    expect(drained(t)).toEqual([[1, 1]]);
  });
});
