import { describe, expect, it } from 'vitest';
import { divergenceContext } from './context-diff.js';

const ev = (i: number) => `#${i} sram.acc @${i} 00 01`;

describe('divergence context', () => {
  it('keeps the matching lines before the divergence as context and marks the differing pair', () => {
    const a = [1, 2, 3, 4, 5].map(ev);
    const b = [...[1, 2, 3, 4].map(ev), '#5 sram.acc @5 00 02'];
    const lines = divergenceContext('run 1 (fsim)', 'run 2 (tsim)', a, b, 2).trimEnd().split('\n');
    expect(lines).toEqual(['--- run 1 (fsim)', '+++ run 2 (tsim)', '@@ -3,3 +3,3 @@', ` ${ev(3)}`, ` ${ev(4)}`, `-${ev(5)}`, '+#5 sram.acc @5 00 02']);
  });

  it('ignores windows that start at different events: no hunk of spurious added lines at the top', () => {
    // Run B's window starts two events earlier than run A's.
    const a = [3, 4, 5, 6, 7, 8, 9, 10].map(ev);
    const b = [...[1, 2, 3, 4, 5, 6, 7, 8, 9].map(ev), '#10 sram.acc @10 ff ff'];
    const out = divergenceContext('a', 'b', a, b, 3);
    expect(out).not.toContain(`+${ev(1)}`);
    expect(out).not.toContain(`+${ev(2)}`);
    expect(out.match(/^@@/gm)).toHaveLength(1);
    expect(out).toContain(` ${ev(9)}`);
    expect(out).toContain(`-${ev(10)}`);
  });
});
