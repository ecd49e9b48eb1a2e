/**
 * `regress --shrink DIR`: the failure bucket of the alu-swap RTL variant on the smoke suite's
 * small cases gets a shrunk bundle beside its case — in the JSON, the JUnit body and the console
 * summary — and that bundle still diverges at an ALU SHR on sram.acc (judged by `diff` on the file).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-regress-shrink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('regress --shrink', () => {
  it('names the shrunk bundle of the bucket beside its case (JSON, JUnit, console), and it diverges the same way', async () => {
    const junit = join(dir, 'junit.xml');
    const args = ['regress', '--suite', 'smoke', '--filter', '@small$', '--tsim-variant', 'alu-swap', '--no-results', '--no-progress', '--shrink', join(dir, 'shrunk')];
    const r = await runCli(...args, '--json', '--junit', junit);
    expect(r.code).toBe(1);
    const cases = (JSON.parse(r.out) as { cases: { id: string; signature?: string; shrunk?: { file?: string; after?: number; error?: string } }[] }).cases;
    const shrunk = cases.filter((c) => c.shrunk?.file);
    // One bucket (ALU SHR sram.acc), one shrunk bundle for it.
    expect(shrunk).toHaveLength(1);
    const file = shrunk[0]!.shrunk!.file!;
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(junit, 'utf8')).toContain(`shrunk: ${file}`);
    const d = await runCli('diff', 'fsim', 'tsim:alu-swap', '--bundle', file, '--db', join(dir, 'd.db'), '--json');
    expect(d.code).toBe(1);
    const report = JSON.parse(d.out) as { first: { stream: string; disasm: string } };
    expect(report.first.stream).toBe('sram.acc');
    expect(report.first.disasm).toMatch(/^ALU SHR/);
    const text = await runCli(...args);
    expect(text.out).toContain(`shrunk: ${file}`);
  }, 600_000);
});
