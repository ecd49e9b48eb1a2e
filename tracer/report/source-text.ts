/** A source-map entry as one line: `conv2d[0] loop {oc: 1, ic: 0} — note`. */
import type { SourceMapEntry } from '../../runtime/bundle/bundle.js';

export function sourceText(s: SourceMapEntry | null): string {
  if (!s) return '(no source-map entry)';
  const loop = s.loop ? ` loop {${Object.entries(s.loop).map(([k, v]) => `${k}: ${v}`).join(', ')}}` : '';
  return `${s.op}${loop}${s.note ? ` — ${s.note}` : ''}`;
}
