/**
 * The HTML report in a real headless browser (Debian's chromium through playwright-core;
 * ci/ensure-chromium.sh installs it): the page loads without console errors, the timeline has one
 * bar per retire the trace database holds (counted here by SQL), the divergent instruction is
 * marked, and the roofline point of a small GEMM is the hand-computed one. A screenshot is kept at
 * artifacts/report.png (the CI workflow example uploads it).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoPath } from '../../runtime/repo.js';
import { runCli } from '../testing/run-cli.js';
import { appendSuiteRun } from '../../regression/results/append.js';
import { openResultsDb } from '../../regression/results/open.js';
import { caseSpec, passingCase, suiteRunMeta } from '../../regression/results/testing.js';
import { chromiumPath } from './browser.js';

const browserPath = chromiumPath();
if (!browserPath && process.env.CI === 'true') throw new Error('chromium is not installed (ci/ensure-chromium.sh installs it): the HTML report tests cannot run in CI without it');
const reason = browserPath ? '' : ' — skipped: chromium is not installed (bash ci/ensure-chromium.sh)';

let dir: string;
let db: string;
let html: string;
let browser: Browser | undefined;
let divergentPc: number;
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

// gemm on `small` (1×4×4, int8): m=2, k=3, n=2 tiles.
const WORKLOAD = 'gemm,m=2,k=3,n=2';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vta-html-'));
  db = join(dir, 't.db');
  html = join(dir, 'r.html');
  const d = await runCli('diff', 'fsim', 'fsim+gemm-lane:pc=5,lane=3', '--workload', WORKLOAD, '--config', 'small', '--mode', 'insn', '--db', db, '--json', '--html', html);
  expect(d.code).toBe(1);
  divergentPc = (JSON.parse(d.out) as { first: { pc: number } }).first.pc;
  if (browserPath) browser = await chromium.launch({ executablePath: browserPath });
}, 120_000);

describe.skipIf(!browserPath)(`HTML report in chromium${reason}`, () => {
  it('loads without console errors, one bar per stored retire, the divergent one marked, a screenshot kept', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 1600 } });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`file://${html}`);
    await page.waitForFunction(() => (globalThis as unknown as { __rendered?: number }).__rendered !== undefined, null, { timeout: 30_000 });
    expect(errors).toEqual([]);
    const sql = new Database(db, { readonly: true });
    const retires = Object.fromEntries(
      (sql.prepare('SELECT run_id, SUM(n) AS n FROM events WHERE stream IN (0, 1, 2) GROUP BY run_id').all() as { run_id: number; n: number }[]).map((r) => [String(r.run_id), r.n]),
    );
    sql.close();
    const got = await page.evaluate(() => {
      const r = (globalThis as unknown as { __vtaReport: { barsPerRun(): Record<string, number>; divergentBars(): number; divergent: { pc: number; runId: number }[] } }).__vtaReport;
      return { bars: r.barsPerRun(), divergentBars: r.divergentBars(), divergent: r.divergent.map((d) => [d.runId, d.pc]) };
    });
    expect(Object.keys(retires).length).toBe(2);
    expect(got.bars).toEqual(retires);
    // The divergent instruction retired once in each run: one red bar per run.
    expect(got.divergentBars).toBe(2);
    expect(got.divergent).toEqual([[1, divergentPc], [2, divergentPc]]);
    expect(await page.textContent('#divergence-body pre')).toContain(`first divergence at instruction #${divergentPc}`);
    mkdirSync(repoPath('artifacts'), { recursive: true });
    const shot = repoPath('artifacts', 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    await page.close();
  }, 60_000);

  it('puts the run on the roofline where the GEMM\'s MACs, DRAM bytes and cycles put it', async () => {
    const page = await browser!.newPage();
    await page.goto(`file://${html}`);
    await page.waitForFunction(() => (globalThis as unknown as { __rendered?: number }).__rendered !== undefined, null, { timeout: 30_000 });
    const rf = await page.evaluate(() => (globalThis as unknown as { __vtaReport: { roofline: { roof: { peak: number; bandwidth: number }; points: { runId: number; intensity: number; achieved: number }[] } } }).__vtaReport.roofline);
    // By hand: m·n·k = 12 micro-op iterations of 1×4×4 = 16 MAC: 192 MAC. DRAM: inp 2·3 tiles ×
    // 4 B = 24, wgt 2·3 × 16 B = 96, out 2·2 × 4 B = 16, uops 1 (reset) + 3 (k) × 4 B = 16: 152 B.
    // Cycles: the target's own counter, read from the database.
    const sql = new Database(db, { readonly: true });
    const cycles = (JSON.parse((sql.prepare('SELECT counters_json FROM runs WHERE id = 1').get() as { counters_json: string }).counters_json) as { cycles: number }).cycles;
    sql.close();
    expect(rf.roof).toMatchObject({ peak: 16, bandwidth: 8 });
    const p = rf.points.find((x) => x.runId === 1)!;
    expect(p.intensity).toBeCloseTo(192 / 152, 9);
    expect(p.achieved).toBeCloseTo(192 / cycles, 9);
    await page.close();
  }, 60_000);

  it('draws perf\'s cycle trends from a results database: one line per case and target, a point per commit', async () => {
    const results = join(dir, 'results.db');
    const rdb = openResultsDb(results);
    const commits = [['1111111111aaaa', '2026-01-01T00:00:00Z', 100], ['2222222222bbbb', '2026-01-02T00:00:00Z', 130]] as const;
    for (const [commit, commitTime, cycles] of commits) {
      const cases = [passingCase('gemm@small', { fsim: cycles, tsim: cycles + 7 }), passingCase('relu@small', { fsim: 50, tsim: 55 })];
      appendSuiteRun(rdb, suiteRunMeta({ commit, commitTime }), cases.map((c) => caseSpec(c.id)), cases);
    }
    rdb.close();
    const out = join(dir, 'perf.html');
    expect((await runCli('report', '1', '2', '--db', db, '--results', results, '-o', out)).code).toBe(0);
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`file://${out}`);
    await page.waitForFunction(() => (globalThis as unknown as { __rendered?: number }).__rendered !== undefined, null, { timeout: 30_000 });
    expect(errors).toEqual([]);
    const perf = await page.evaluate(() => (globalThis as unknown as { __vtaReport: { perfSeries(): { name: string; data: (number | null)[] }[] } }).__vtaReport.perfSeries());
    const byName = Object.fromEntries(perf.map((s) => [s.name, s.data]));
    expect(byName).toEqual({ 'gemm@small fsim': [100, 130], 'gemm@small tsim': [107, 137], 'relu@small fsim': [50, 50], 'relu@small tsim': [55, 55] });
    await page.close();
  }, 60_000);
});
