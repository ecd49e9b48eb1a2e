/**
 * A design description (docs/design-description.md) as the Yosys mutation path sees it: which of
 * its files Yosys reads and mutates (`--verilog`), what the results are keyed by, and the
 * description of the same design with those files replaced by Yosys's written-back Verilog that
 * holds the mutants (targets/tsim/mutation/yosys-select.ts). Two forms of description:
 * a user's own RTL (`top`, `files`): the mutated files are replaced in `files`; our RTL
 * (`base: "vta-trace"`, without overlay, variant or patches): the one mutated file goes into an
 * overlay folder under its own name.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { RtlDescriptionError } from '../errors.js';
import { ownRtlDir, userRtl } from '../rtl-source.js';
import { ownRtlFiles } from './rtl-mutants.js';
import type { YosysDesign } from './yosys-mutants.js';

export interface YosysMutationDesign {
  /** The description file, absolute. */
  file: string;
  label: string;
  /** What Yosys reads: the `--verilog` files, absolute, and the top module it elaborates. */
  yosys: YosysDesign;
  /** sha256 over the description, every source of the design and the top: results are kept under it. */
  sourcesHash: string;
  /** Write, in `dir`, the description of this design with `mutated` (Yosys's written Verilog) in place of the `--verilog` files. */
  writeMutated(dir: string, mutated: string): string;
}

export function yosysMutationDesign(descriptionPath: string, verilog: string[], top: string | undefined): YosysMutationDesign {
  const file = resolve(descriptionPath);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new RtlDescriptionError(file, `cannot read the design description: ${(e as Error).message}`);
  }
  const h = createHash('sha256');
  const part = (label: string, data: string) => h.update(`${label}\0${data.length}\0${data}\0`);
  part('description', JSON.stringify(json));
  const label = typeof json.name === 'string' ? json.name : file;
  const carried = (out: Record<string, unknown>) => {
    for (const k of ['capabilities']) if (json[k] !== undefined) out[k] = json[k];
    if (typeof json.known === 'string') out.known = resolve(file, '..', json.known);
    return out;
  };
  if (json.base !== undefined) {
    for (const k of ['overlay', 'variant', 'patches']) if (json[k] !== undefined) throw new RtlDescriptionError(file, `the Yosys path mutates our RTL as it is: "${k}" is not supported with --verilog`);
    if (verilog.length !== 1) throw new RtlDescriptionError(file, `with "base": "vta-trace", --verilog names one file of targets/tsim/rtl/ (got ${verilog.length})`);
    const name = basename(verilog[0]!);
    const path = join(ownRtlDir(), name);
    if (!existsSync(path)) throw new RtlDescriptionError(file, `--verilog ${verilog[0]}: not a file of our RTL (targets/tsim/rtl/)`);
    if (top === undefined) throw new RtlDescriptionError(file, `--verilog ${verilog[0]} of our RTL needs --top <its module>`);
    for (const f of ownRtlFiles()) part(`rtl:${f.name}`, f.text);
    part('top', top);
    return {
      file,
      label,
      yosys: { files: [path], top },
      sourcesHash: h.digest('hex').slice(0, 24),
      writeMutated(dir, mutated) {
        const overlay = join(dir, 'overlay');
        mkdirSync(overlay, { recursive: true });
        writeFileSync(join(overlay, name), readFileSync(mutated));
        const out = join(dir, 'design.json');
        writeFileSync(out, `${JSON.stringify(carried({ name: `${label} (Yosys mutants of ${name})`, base: 'vta-trace', overlay: 'overlay' }), null, 2)}\n`);
        return out;
      },
    };
  }
  const own = userRtl(file);
  if (json.patches !== undefined) throw new RtlDescriptionError(file, 'the Yosys path mutates the design\'s files as they are: "patches" is not supported with --verilog');
  const chosen = verilog.map((v) => {
    const f = own.files.find((x) => x.path === resolve(v)) ?? own.files.find((x) => x.name === basename(v));
    if (!f) throw new RtlDescriptionError(file, `--verilog ${v}: not one of the design's files (${own.files.map((x) => x.name).join(', ')})`);
    return f;
  });
  for (const f of own.files) part(`rtl:${f.name}`, f.content);
  part('probe-map', readFileSync(own.probeMapPath, 'utf8'));
  const yosysTop = top ?? own.top;
  part('top', yosysTop);
  return {
    file,
    label,
    yosys: { files: chosen.map((f) => f.path!), top: yosysTop },
    sourcesHash: h.digest('hex').slice(0, 24),
    writeMutated(dir, mutated) {
      // The mutated Verilog takes the first chosen file's place; Yosys wrote the others' modules into it too.
      const files = own.files.filter((f) => f === chosen[0] || !chosen.includes(f)).map((f) => (f === chosen[0] ? mutated : f.path!));
      const out = join(dir, 'design.json');
      const desc = carried({ name: `${label} (Yosys mutants)`, top: own.top, files, probeMap: own.probeMapPath, ...(own.includeDirs.length ? { includeDirs: own.includeDirs } : {}), ...(own.verilatorFlags.length ? { verilatorFlags: own.verilatorFlags } : {}) });
      writeFileSync(out, `${JSON.stringify(desc, null, 2)}\n`);
      return out;
    },
  };
}
