import type { SourceMapEntry } from '../bundle/bundle.js';
import { VtaUserError } from '../errors.js';

function describeSource(s: SourceMapEntry | null | undefined): string {
  if (!s) return '';
  const loop = s.loop ? ` ${Object.entries(s.loop).map(([k, v]) => `${k}=${v}`).join(' ')}` : '';
  return ` (${s.op}${loop})`;
}

/**
 * A program the builder refuses because it cannot run: it would overflow a scratchpad, put a
 * value in a field too narrow for it, leave a dependency token unbalanced, deadlock, or set a
 * dependency flag its module has no queue for. Names the instruction index (and the workload
 * operation it came from) when the problem belongs to one instruction.
 */
export class ProgramError extends VtaUserError {
  override name = 'ProgramError';
  constructor(
    readonly reason: string,
    readonly index?: number,
    readonly source?: SourceMapEntry | null,
  ) {
    super(index === undefined ? reason : `instruction #${index}${describeSource(source)}: ${reason}`);
  }
}
