/**
 * `npm run bench -- report`: the HTML report of a ResNet-18 run (conv2…fc, recorded in insn mode
 * on fsim twice, so two lanes per module), written by `vta-trace report`, opened in headless
 * chromium (playwright-core, the system browser): time from navigation start to every chart's
 * first 'finished' event (window.__rendered). Goal (issue 20): under 2 s.
 * VTA_BENCH_REPORT_CONFIG picks the configuration (default `default`; `small` gives a far longer
 * program), VTA_BENCH_REPORT_ROUNDS the page loads (median taken).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../cli/html-report/browser.js';
import { repoPath } from '../runtime/repo.js';

export async function benchReport(): Promise<Record<string, number | string>> {
  const exe = chromiumPath();
  if (!exe) throw new Error('chromium is not installed (bash ci/ensure-chromium.sh)');
  const config = process.env.VTA_BENCH_REPORT_CONFIG ?? 'default';
  const rounds = Number(process.env.VTA_BENCH_REPORT_ROUNDS ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'vta-bench-report-'));
  const cli = (...args: string[]) => execFileSync(process.execPath, [repoPath('bin', 'vta-trace.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  try {
    const db = join(dir, 't.db');
    const html = join(dir, 'r.html');
    cli('diff', 'fsim', 'fsim', '--workload', 'resnet18', '--config', config, '--mode', 'insn', '--db', db);
    const t0 = performance.now();
    const wrote = cli('report', '1', '2', '--db', db, '-o', html);
    const writeMs = performance.now() - t0;
    const browser = await chromium.launch({ executablePath: exe });
    const times: number[] = [];
    let bars = 0;
    try {
      for (let r = 0; r < rounds; r++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
        await page.goto(`file://${html}`);
        await page.waitForFunction(() => (globalThis as unknown as { __rendered?: number }).__rendered !== undefined, null, { timeout: 120_000 });
        times.push(await page.evaluate(() => (globalThis as unknown as { __rendered: number }).__rendered));
        bars = await page.evaluate(() => (globalThis as unknown as { __vtaReport: { bars(): number } }).__vtaReport.bars());
        await page.close();
      }
    } finally {
      await browser.close();
    }
    times.sort((a, b) => a - b);
    return {
      workload: `resnet18 on ${config}, fsim twice, insn mode`,
      'timeline bars (retired instructions, 2 runs)': bars,
      'report file MB': statSync(html).size / 1e6,
      'vta-trace report ms (process, incl. start)': writeMs,
      'time to rendered ms (median)': times[Math.floor(times.length / 2)]!,
      'time to rendered ms (min)': times[0]!,
      'time to rendered ms (max)': times[times.length - 1]!,
      note: wrote.trim().split('\n').pop()!.slice(0, 60),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
