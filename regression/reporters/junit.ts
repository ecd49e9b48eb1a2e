/** JUnit XML, one testcase per case, grouped in one testsuite. */
import { writeFileSync } from 'node:fs';
import type { CaseResult } from '../case-result.js';
import type { Reporter } from './reporter.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

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
    if (r.verdict === 'pass') {
      lines.push(`${open}/>`);
      continue;
    }
    const tag = r.verdict === 'fail' ? 'failure' : 'error';
    lines.push(`${open}>`, `      <${tag} type="${esc(r.signature ?? tag)}" message="${esc(r.reason ?? '')}"/>`, '    </testcase>');
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
