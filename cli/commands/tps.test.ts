import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

describe('vta-trace tps', () => {
  it('prints one line per ResNet-18 layer with the chosen tiling and its saving over the fallback', async () => {
    const r = await runCli('tps', '--config', 'block32');
    expect(r.code).toBe(0);
    const rows = r.out.split('\n').filter((l) => /^C\d+ /.test(l));
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(['C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9', 'C10', 'C11']);
    for (const row of rows) expect(row).toMatch(/\d+\.\d×/);
  });

  it('gives JSON whose best tiling never moves more bytes than the fallback', async () => {
    const r = await runCli('tps', '--config', 'small', '--layer', 'C11', '--json');
    expect(r.code).toBe(0);
    const [res] = JSON.parse(r.out) as { best: { dramBytes: number; fits: boolean }; fallback: { dramBytes: number } }[];
    expect(res!.best.fits).toBe(true);
    expect(res!.best.dramBytes).toBeLessThan(res!.fallback.dramBytes);
  });

  it('names the known layers when given an unknown one (exit 2)', async () => {
    const r = await runCli('tps', '--layer', 'C99');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--layer "C99": known layers are C2, .*C11/);
  });
});
