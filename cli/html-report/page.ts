/**
 * One self-contained HTML file: the report data as JSON, Apache ECharts' minified bundle (read
 * from node_modules when the report is written) and the page's script (client.js beside this
 * file's source), all inlined, so the file opens offline and can be mailed or kept as a CI artifact.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { repoPath } from '../../runtime/repo.js';
import type { ReportData } from './report-data.js';

const require = createRequire(import.meta.url);

/** Text safe inside a <script> element: no "</script" and no "<!--" can end or bend it. */
const scriptSafe = (text: string) => text.replace(/<(\/script|!--)/gi, '\\x3c$1');

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function renderHtmlReport(data: ReportData): string {
  const echarts = readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  const client = readFileSync(repoPath('cli', 'html-report', 'client.js'), 'utf8');
  const css = readFileSync(repoPath('cli', 'html-report', 'report.css'), 'utf8');
  // JSON inside a script element: "<" escaped keeps any text in the data from closing it.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(data.title)}</title>
<style>${css}</style>
</head><body>
<h1>${escapeHtml(data.title)}</h1>
<section id="divergence"><h2>Divergence report</h2><div id="divergence-body"></div></section>
<section><h2>Timeline</h2><p class="note">Per module and target, one bar per retired instruction, from when it could start (its module free and the tokens it pops pushed) to its retire. Gaps are bubbles. Scroll or drag the slider to zoom.</p><div id="timeline" class="chart tall"></div></section>
<section><h2>Roofline</h2><p class="note">GEMM multiply-accumulates per DRAM byte against MAC per cycle; the roof is the configuration's peak and bus bandwidth.</p><div id="roofline" class="chart"></div><div id="roofline-table"></div></section>
<section id="perf"><h2>Cycle trends</h2><div id="perf-body"></div><div id="perf-chart" class="chart"></div></section>
<script type="application/json" id="report-data">${json}</script>
<script>${scriptSafe(echarts)}</script>
<script>${scriptSafe(client)}</script>
</body></html>
`;
}
