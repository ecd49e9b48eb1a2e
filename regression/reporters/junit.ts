/**
 * JUnit XML, one testcase per case, grouped in one testsuite. A failure's body is what a CI page
 * shows under the test: the first-divergence report (instruction, stream, address, lanes) and the
 * command that reproduces the case.
 */
import { writeFileSync } from 'node:fs';
import type { CaseResult } from '../case-result.js';
import type { Reporter } from './reporter.js';

// XML 1.0 allows no control characters but tab, newline and carriage return, not even escaped.
const esc = (s: string) =>
  s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** The body of a failure or error element: the report, else the reason, then the reproduce line unless the report has it. */
export function failureBody(r: CaseResult): string {
  const lines = [r.report?.trimEnd() ?? r.reason ?? r.verdict];
  if (r.reproduce && !lines[0]!.includes(r.reproduce)) lines.push(`reproduce: ${r.reproduce}`);
  if (r.shrunk) lines.push('file' in r.shrunk ? `shrunk: ${r.shrunk.file} (${r.shrunk.before} → ${r.shrunk.after} instructions): ${r.shrunk.reproduce}` : `not shrunk: ${r.shrunk.error}`);
  return lines.join('\n');
}

/** Which board ran each target spread over the boards file (fpga:*), as testcase property lines. */
function boardProperties(r: CaseResult): string[] {
  const onBoards = r.outcomes.filter((o) => o.board !== undefined);
  return onBoards.map((o) => `        <property name="board ${esc(o.target)}" value="${esc(o.board || '(none left)')}"/>`);
}

/** The known-differences entry of a known case, as a property beside the boards'. */
function knownProperties(r: CaseResult): string[] {
  if (r.verdict !== 'known' || !r.known) return [];
  return [`        <property name="known-difference" value="${esc(r.known.id)}"/>`];
}

export function junitXml(suite: string, results: CaseResult[], seconds: number): string {
  const failures = results.filter((r) => r.verdict === 'fail').length;
  const errors = results.filter((r) => r.verdict === 'error').length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${results.length}" failures="${failures}" errors="${errors}" time="${seconds.toFixed(3)}">`,
    `  <testsuite name="${esc(suite)}" tests="${results.length}" failures="${failures}" errors="${errors}" time="${seconds.toFixed(3)}">`,
  ];
  for (const r of results) {
    const open = `    <testcase classname="${esc(suite)}" name="${esc(r.id)}" time="${r.seconds.toFixed(3)}"`;
    const inner = [...boardProperties(r), ...knownProperties(r)];
    const props = inner.length ? ['      <properties>', ...inner, '      </properties>'] : [];
    if (r.verdict === 'pass' && !props.length) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`, ...props);
    const tag = r.verdict === 'fail' ? 'failure' : 'error';
    // A known difference passes, and says which entry explains it.
    if (r.verdict === 'known') lines.push(`      <system-out>${esc(r.reason ?? '')}</system-out>`);
    else if (r.verdict !== 'pass') lines.push(`      <${tag} type="${esc(r.signature ?? tag)}" message="${esc(r.reason ?? '')}">${esc(failureBody(r))}</${tag}>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

export class JunitReporter implements Reporter {
  constructor(
    private readonly file: string,
    private readonly suite: string,
  ) {}

  onFinish(results: CaseResult[], seconds: number): void {
    writeFileSync(this.file, junitXml(this.suite, results, seconds));
  }
}
