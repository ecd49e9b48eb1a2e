/*
 * The HTML report's page script (plain browser JavaScript, inlined by page.ts after ECharts).
 * It reads the report data from the JSON script element and draws the charts. For tests and the
 * bench it exposes window.__vtaReport (bar counts taken from the charts' own data, the marked
 * divergent bars, the roofline points) and sets window.__rendered to the time, in ms since
 * navigation start, when every chart has finished its first render.
 */
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const MODULES = ['load', 'compute', 'store'];
  const COLORS = ['#4e79a7', '#59a14f', '#f28e2b'];
  const charts = [];
  // Every chart counts as pending from its creation until its first 'finished' event (the
  // listener goes on before setOption: a small chart can finish within it).
  let pending = 0;
  let allSet = false;
  const done = () => { if (allSet && pending === 0 && window.__rendered === undefined) window.__rendered = performance.now(); };
  const makeChart = (el) => {
    const c = echarts.init(el, null, { renderer: 'canvas' });
    charts.push(c);
    pending++;
    c.on('finished', function once() { c.off('finished', once); pending--; done(); });
    return c;
  };
  const text = (tag, content, cls) => { const e = document.createElement(tag); e.textContent = content; if (cls) e.className = cls; return e; };

  // Divergence report: the same text `vta-trace diff` prints, and its JSON.
  const div = document.getElementById('divergence-body');
  if (data.divergence) {
    div.appendChild(text('p', `values ${data.divergence.json.values}, verdict ${data.divergence.json.verdict}`, data.divergence.json.values === 'diverge' ? 'diverge' : ''));
    div.appendChild(text('pre', data.divergence.text));
    const d = document.createElement('details');
    d.appendChild(text('summary', 'report as JSON (docs/report-format.md)'));
    d.appendChild(text('pre', JSON.stringify(data.divergence.json, null, 2)));
    div.appendChild(d);
  } else div.appendChild(text('p', 'one run: nothing to compare.'));

  // Timeline: lanes grouped by module, one lane per run inside each group.
  const runs = data.timelines;
  const laneName = (m, r) => `${MODULES[m]} · ${runs[r].target} (run ${runs[r].runId})`;
  const lanes = [];
  for (let m = 0; m < 3; m++) for (let r = 0; r < runs.length; r++) lanes.push(laneName(m, r));
  const laneOf = (m, r) => m * runs.length + r;
  const el = document.getElementById('timeline');
  const gridTop = 40, gridBottom = 70;
  const laneHeight = Math.max(4, (el.clientHeight - gridTop - gridBottom) / lanes.length);
  const series = [];
  const divergent = [];
  let maxCycle = 0;
  runs.forEach((t, r) => {
    for (let m = 0; m < 3; m++) {
      let count = 0;
      for (let i = 0; i < t.module.length; i++) if (t.module[i] === m && t.pc[i] !== data.divergentPc) count++;
      // Flat coordinates (2 points per bar: count, x0, y0, x1, y1) let ECharts draw tens of
      // thousands of bars in one pass ("large" lines).
      const flat = new Float64Array(count * 5);
      let k = 0;
      const y = laneOf(m, r);
      for (let i = 0; i < t.module.length; i++) {
        if (t.module[i] !== m) continue;
        maxCycle = Math.max(maxCycle, t.end[i]);
        if (t.pc[i] === data.divergentPc) { divergent.push({ runId: t.runId, target: t.target, module: MODULES[m], pc: t.pc[i], start: t.start[i], end: t.end[i], lane: y }); continue; }
        flat[k++] = 2; flat[k++] = t.start[i]; flat[k++] = y; flat[k++] = Math.max(t.end[i], t.start[i] + 0.5); flat[k++] = y;
      }
      series.push({ name: laneName(m, r), runId: t.runId, type: 'lines', coordinateSystem: 'cartesian2d', large: true, largeThreshold: 0, polyline: false, silent: true,
        lineStyle: { color: COLORS[m], width: laneHeight * 0.7, opacity: 0.9, cap: 'butt' }, data: flat });
    }
  });
  series.push({ name: 'divergent instruction', type: 'lines', coordinateSystem: 'cartesian2d', z: 5,
    lineStyle: { color: '#d62728', width: laneHeight * 0.9, opacity: 1, cap: 'butt' },
    data: divergent.map((d) => ({ coords: [[d.start, d.lane], [Math.max(d.end, d.start + 0.5), d.lane]], value: d.pc })) });
  series.push({ name: 'divergent instruction (pin)', type: 'scatter', z: 6, symbol: 'pin', symbolSize: 28, itemStyle: { color: '#d62728' },
    label: { show: true, formatter: (p) => `#${p.value[2]}`, position: 'top', color: '#d62728' },
    tooltip: { formatter: (p) => `divergent instruction #${p.value[2]} on ${divergent[p.dataIndex].target}: cycles ${p.value[3]}–${p.value[0]}` },
    data: divergent.map((d) => [d.end, d.lane, d.pc, d.start]) });
  const timeline = makeChart(el);
  const missing = runs.filter((t) => t.missing).map((t) => t.missing);
  timeline.setOption({
    animation: false,
    title: missing.length ? { text: missing.join('\n'), left: 'center', top: 'middle', textStyle: { fontSize: 13, color: '#b00' } } : undefined,
    tooltip: { trigger: 'item' },
    grid: { left: 190, right: 30, top: gridTop, bottom: gridBottom },
    xAxis: { type: 'value', name: 'cycle', min: 0, max: Math.max(1, Math.ceil(maxCycle)), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'category', data: lanes, inverse: true, splitLine: { show: false } },
    dataZoom: [{ type: 'inside', filterMode: 'none' }, { type: 'slider', filterMode: 'none', bottom: 10 }],
    series,
  });

  // Roofline: log–log, the roof min(peak, bandwidth × intensity), one point per run.
  const rf = data.roofline;
  const pts = rf.points.filter((p) => p.intensity !== null && p.achieved !== null && p.intensity > 0 && p.achieved > 0);
  const xs = pts.map((p) => p.intensity).concat([rf.roof.ridge]);
  const xmin = Math.pow(10, Math.floor(Math.log10(Math.min(...xs) / 4)));
  const xmax = Math.pow(10, Math.ceil(Math.log10(Math.max(...xs) * 4)));
  const roofline = makeChart(document.getElementById('roofline'));
  roofline.setOption({
    animation: false,
    tooltip: { trigger: 'item' },
    legend: { top: 0 },
    grid: { left: 80, right: 40, top: 40, bottom: 50 },
    xAxis: { type: 'log', name: 'MAC per DRAM byte', nameLocation: 'middle', nameGap: 30, min: xmin, max: xmax },
    yAxis: { type: 'log', name: 'MAC per cycle', min: Math.pow(10, Math.floor(Math.log10(Math.min(rf.roof.bandwidth * xmin, ...pts.map((p) => p.achieved)) / 2))), max: Math.pow(10, Math.ceil(Math.log10(rf.roof.peak * 2))) },
    series: [
      { name: `roof: peak ${rf.roof.peak} MAC/cycle, bus ${rf.roof.bandwidth} B/cycle`, type: 'line', symbol: 'none', lineStyle: { color: '#333' }, silent: true,
        data: [[xmin, rf.roof.bandwidth * xmin], [rf.roof.ridge, rf.roof.peak], [xmax, rf.roof.peak]] },
      ...pts.map((p, i) => ({ name: `${p.target} (run ${p.runId})`, type: 'scatter', symbolSize: 12, itemStyle: { color: COLORS[i % 3] },
        tooltip: { formatter: () => `${p.target} (run ${p.runId}): ${p.macs} MAC, ${p.dramBytes} DRAM bytes, ${p.cycles} cycles<br>${p.intensity.toFixed(3)} MAC/byte, ${p.achieved.toFixed(3)} MAC/cycle` },
        data: [[p.intensity, p.achieved]] })),
    ],
  });
  const table = document.createElement('table');
  table.innerHTML = '<tr><th>run</th><th>MAC</th><th>DRAM bytes</th><th>cycles</th><th>MAC/byte</th><th>MAC/cycle</th><th>of peak</th></tr>';
  for (const p of rf.points) {
    const tr = document.createElement('tr');
    [`${p.target} (run ${p.runId})`, p.macs, p.dramBytes, p.cycles, p.intensity === null ? '—' : p.intensity.toFixed(3), p.achieved === null ? '—' : p.achieved.toFixed(3),
      p.achieved === null ? '—' : `${((100 * p.achieved) / rf.roof.peak).toFixed(1)}%`].forEach((v) => tr.appendChild(text('td', String(v))));
    table.appendChild(tr);
  }
  document.getElementById('roofline-table').appendChild(table);

  // Cycle trends per case across commits (perf), when a results database was given.
  const perfBody = document.getElementById('perf-body');
  const perfEl = document.getElementById('perf-chart');
  let perfChart = null;
  const SHOWN = 40;
  if (!data.perf) { perfBody.appendChild(text('p', 'no results database given (--results FILE).')); perfEl.remove(); }
  else if (!data.perf.commits.length) { perfBody.appendChild(text('p', 'the results database has no ok runs with cycle counts.')); perfEl.remove(); }
  else {
    // Series with a flagged change first; at most SHOWN lines keep the chart readable.
    const all = data.perf.series.slice().sort((a, b) => b.changes.length - a.changes.length);
    const shown = all.slice(0, SHOWN);
    perfBody.appendChild(text('p', `${data.perf.commits.length} commit(s), ${all.length} series (case × target), ${data.perf.changes.length} change(s) beyond ±5%` + (all.length > shown.length ? `; the ${shown.length} shown put the changed ones first (vta-trace perf --all lists every one)` : '')));
    const perf = makeChart(perfEl);
    perfChart = perf;
    perf.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 80, right: 30, top: 40, bottom: 60 },
      xAxis: { type: 'category', name: 'commit', data: data.perf.commits.map((c) => c.label) },
      yAxis: { type: 'log', name: 'cycles' },
      series: shown.map((s) => ({ name: `${s.caseId} ${s.target}`, type: 'line', connectNulls: false, data: s.cycles })),
    });
  }

  // Test and bench hooks: counts read back from the charts' own data.
  const lineCount = (chart, i) => { const d = chart.getOption().series[i].data; return d ? d.length : 0; };
  window.__vtaReport = {
    barsPerRun() {
      const out = {};
      series.forEach((s, i) => { if (s.runId !== undefined) out[s.runId] = (out[s.runId] || 0) + lineCount(timeline, i); });
      divergent.forEach((d) => { out[d.runId] = (out[d.runId] || 0) + 1; });
      return out;
    },
    bars() { return Object.values(this.barsPerRun()).reduce((a, b) => a + b, 0); },
    divergentBars: () => lineCount(timeline, series.length - 2),
    divergent,
    roofline: rf,
    perfSeries: () => (perfChart ? perfChart.getOption().series.map((s) => ({ name: s.name, data: s.data })) : []),
  };
  allSet = true;
  done();
  window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
})();
