/**
 * The mutants of our RTL (targets/tsim/rtl/, every module but the DPI shells): every mutant the
 * operators give, a deterministic selection spread over the modules, and the instrumented design
 * holding the selection (an overlay folder and a design description, docs/design-description.md)
 * that tsim builds once for all of them.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../../runtime/mulberry32.js';
import { repoPath } from '../../../runtime/repo.js';
import { ownRtlDir } from '../rtl-source.js';
import { instrumentFile, mutantPatch, type NumberedMutant } from './instrument.js';
import { fileMutants, type SourceMutant } from './sv-mutants.js';
import type { ModuleInfo } from './sv-logic.js';

/** Shells around the C++ harness's DPI calls: no logic of the accelerator. */
export const DPI_SHELLS = ['vta_sim_dpi.sv', 'vta_host_dpi.sv', 'vta_mem_dpi.sv'];

export interface RtlSourceFile {
  name: string;
  /** Repository-relative path, for patches and messages. */
  path: string;
  text: string;
}

export function ownRtlFiles(): RtlSourceFile[] {
  const dir = ownRtlDir();
  return readFileSync(join(dir, 'files.f'), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '' && !DPI_SHELLS.includes(l))
    .map((name) => ({ name, path: `targets/tsim/rtl/${name}`, text: readFileSync(join(dir, name), 'utf8') }));
}

/** sha256 over the files' names and texts: the key results are kept under. */
export function sourcesHash(files: RtlSourceFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.name}\0${f.text.length}\0${f.text}\0`);
  return h.digest('hex').slice(0, 24);
}

export interface MutantSet {
  files: RtlSourceFile[];
  modules: Map<string, ModuleInfo[]>;
  /** Every mutant, in file and source order. */
  all: SourceMutant[];
}

export function allMutants(files: RtlSourceFile[]): MutantSet {
  const modules = new Map<string, ModuleInfo[]>();
  const all: SourceMutant[] = [];
  for (const f of files) {
    const r = fileMutants(f.name, f.text);
    modules.set(f.name, r.modules);
    all.push(...r.mutants);
  }
  return { files, modules, all };
}

/** Fractions in [0, 1) from a seed (mulberry32): the same seed gives the same selection on every machine. */
function rng(seed: number): () => number {
  const draw = mulberry32(seed);
  return () => draw() / 2 ** 32;
}

/**
 * `count` mutants taken round-robin over the modules (each module's own list shuffled by `seed`),
 * so every module gets its share before any gets a second; numbered 1… in source order.
 */
export function selectMutants(all: SourceMutant[], count: number, seed: number): NumberedMutant[] {
  const rand = rng(seed);
  const byModule = new Map<string, SourceMutant[]>();
  for (const m of all) byModule.set(m.module, [...(byModule.get(m.module) ?? []), m]);
  const queues = [...byModule.keys()].sort().map((k) => {
    const q = [...byModule.get(k)!];
    for (let i = q.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [q[i], q[j]] = [q[j]!, q[i]!];
    }
    return q;
  });
  const picked: SourceMutant[] = [];
  while (picked.length < count && queues.some((q) => q.length)) for (const q of queues) if (q.length && picked.length < count) picked.push(q.shift()!);
  const order = new Map(all.map((m, k) => [m.key, k]));
  return picked.sort((a, b) => order.get(a.key)! - order.get(b.key)!).map((m, k) => ({ ...m, id: k + 1 }));
}

/** Writes the instrumented files and the design description under `dir`; returns the description's path. */
export function writeInstrumentedDesign(set: MutantSet, selected: NumberedMutant[], dir: string): string {
  const overlay = join(dir, 'overlay');
  mkdirSync(overlay, { recursive: true });
  for (const f of set.files) {
    const mine = selected.filter((m) => m.file === f.name);
    if (mine.length) writeFileSync(join(overlay, f.name), instrumentFile(f.text, set.modules.get(f.name) ?? [], mine));
  }
  const design = join(dir, 'design.json');
  writeFileSync(design, `${JSON.stringify({ name: `vta-trace RTL with ${selected.length} mutants`, base: 'vta-trace', overlay: 'overlay' }, null, 2)}\n`);
  return design;
}

/** The mutant's patch against its source file (repository-relative paths). */
export function patchOf(set: MutantSet, m: SourceMutant): string {
  const f = set.files.find((x) => x.name === m.file)!;
  return mutantPatch(f.text, m, f.path);
}

/** Where `vta-trace mutate` keeps instrumented designs (one folder per sources hash and selection). */
export function mutationCacheDir(): string {
  return join(process.env.VTA_TRACE_CACHE ?? repoPath('.cache'), 'mutate');
}
