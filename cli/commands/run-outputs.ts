/**
 * `run --outputs DIR`: one file per output range, holding exactly the bytes the target left there,
 * named after the output (`<name>.bin`), so another simulator's result can be compared with `cmp`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VtaUserError } from '../../runtime/errors.js';
import type { RunResult } from '../../runtime/contract/target.js';

/** A file name for an output: its name with anything but letters, digits, `.`, `_` and `-` replaced by `_`. */
export function outputFileName(name: string): string {
  return `${name.replace(/[^\w.-]/g, '_')}.bin`;
}

/** Writes every output range into `dir` (created when missing); returns the files written. */
export function writeOutputs(dir: string, outputs: RunResult['outputs']): string[] {
  const files = outputs.map((o) => join(dir, outputFileName(o.name)));
  if (new Set(files).size !== files.length) throw new VtaUserError(`--outputs ${dir}: two outputs map to the same file name (${outputs.map((o) => o.name).join(', ')})`);
  try {
    mkdirSync(dir, { recursive: true });
    outputs.forEach((o, i) => writeFileSync(files[i]!, o.bytes));
  } catch (e) {
    throw new VtaUserError(`--outputs ${dir}: cannot write: ${(e as Error).message}`);
  }
  return files;
}
