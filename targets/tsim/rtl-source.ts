/**
 * Which RTL to build: our own core (targets/tsim/rtl/ plus the generated configuration package),
 * a seeded-bug variant of it (fixtures/rtl-variants/<name>/: files shadowing same-named ones), or a
 * user's RTL described by a JSON file (targets/tsim/README.md, "Bring your own RTL").
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { VtaParams } from '../../runtime/config/config.js';
import { repoPath } from '../../runtime/repo.js';
import { didYouMean } from '../../runtime/suggest.js';
import { RtlDescriptionError } from './errors.js';

export interface RtlFile {
  /** File name as given to Verilator (generated files are written under this name). */
  name: string;
  /** Where the source is, or undefined for a generated file. */
  path?: string;
  /** The source text (read once: the cache key and the build use the same bytes). */
  content: string;
}

export interface RtlSpec {
  /** For messages: "vta-trace RTL", "vta-trace RTL + variant x", or the description file. */
  label: string;
  top: string;
  files: RtlFile[];
  includeDirs: string[];
  probeMapPath: string;
  verilatorFlags: string[];
}

const OWN_TOP = 'vta_tsim_top';

export function ownRtlDir(): string {
  return repoPath('targets', 'tsim', 'rtl');
}

export function variantNames(): string[] {
  const dir = repoPath('fixtures', 'rtl-variants');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

function isSource(name: string): boolean {
  return /\.(sv|v|svh|vh)$/.test(name);
}

/** Compile order of our RTL: rtl/files.f if present, else packages first, then by name. */
function ownFileOrder(dir: string): string[] {
  const list = join(dir, 'files.f');
  if (existsSync(list)) {
    return readFileSync(list, 'utf8')
      .split('\n')
      .map((l) => l.replace(/(#|\/\/).*$/, '').trim())
      .filter((l) => l !== '');
  }
  const names = readdirSync(dir).filter((n) => /\.(sv|v)$/.test(n));
  const pkg = (n: string) => (/_pkg\.sv$/.test(n) ? 0 : 1);
  return names.sort((a, b) => pkg(a) - pkg(b) || a.localeCompare(b));
}

/** The configuration package of our RTL, from targets/tsim/rtl-package.ts (the RTL engineer's). */
async function generatedPackage(params: VtaParams): Promise<RtlFile> {
  // A computed specifier: the generator belongs to another area and is loaded only when our own
  // RTL is built.
  const modulePath = './rtl-package.js';
  const mod = (await import(modulePath)) as { generateVtaPkg?: (p: VtaParams) => string };
  if (typeof mod.generateVtaPkg !== 'function') throw new Error('targets/tsim/rtl-package.ts does not export generateVtaPkg');
  return { name: 'vta_pkg.sv', content: mod.generateVtaPkg(params) };
}

/** Where a variant's files are; refused with the known names when there is no such variant. */
export function variantDir(variant: string): string {
  const vdir = repoPath('fixtures', 'rtl-variants', variant);
  if (!/^[\w.-]+$/.test(variant) || !existsSync(vdir)) {
    throw new RtlDescriptionError(vdir, `no RTL variant "${variant}"${didYouMean(variant, variantNames())}; known: ${variantNames().join(', ') || '(none)'}`);
  }
  return vdir;
}

/** Our RTL, optionally with a variant's files shadowing same-named ones. */
export async function ownRtl(params: VtaParams, variant?: string): Promise<RtlSpec> {
  const vdir = variant !== undefined ? variantDir(variant) : undefined;
  return ownRtlWith(params, vdir, variant ? `vta-trace RTL + variant ${variant}` : 'vta-trace RTL');
}

/** Our RTL with the sources of `overlayDir` (a variant, or a design description's overlay) shadowing same-named ones. */
export async function ownRtlWith(params: VtaParams, overlayDir: string | undefined, label: string): Promise<RtlSpec> {
  const dir = ownRtlDir();
  if (!existsSync(dir)) throw new RtlDescriptionError(dir, 'our RTL is not there (targets/tsim/rtl/)');
  const shadow = new Map<string, string>();
  if (overlayDir !== undefined) {
    if (!existsSync(overlayDir)) throw new RtlDescriptionError(overlayDir, 'the overlay folder does not exist');
    for (const n of readdirSync(overlayDir)) if (isSource(n)) shadow.set(n, join(overlayDir, n));
  }
  const files: RtlFile[] = [await generatedPackage(params)];
  const order = ownFileOrder(dir).filter((n) => basename(n) !== 'vta_pkg.sv');
  for (const n of order) {
    const path = shadow.get(basename(n)) ?? join(dir, n);
    shadow.delete(basename(n));
    files.push({ name: basename(n), path, content: readFileSync(path, 'utf8') });
  }
  // Files a variant adds (not shadowing anything) come last.
  for (const [n, path] of [...shadow].sort()) if (/\.(sv|v)$/.test(n)) files.push({ name: n, path, content: readFileSync(path, 'utf8') });
  return {
    label,
    top: OWN_TOP,
    files,
    includeDirs: overlayDir ? [overlayDir, dir] : [dir],
    probeMapPath: repoPath('fixtures', 'probe-maps', 'vta-trace-rtl.json'),
    verilatorFlags: [],
  };
}

/** sha256 over what a build compiles from the design: top, every source (name and bytes) and the probe map. */
export function rtlSourcesHash(spec: RtlSpec): string {
  const h = createHash('sha256');
  const part = (label: string, data: string) => h.update(`${label}\0${data.length}\0${data}\0`);
  part('top', spec.top);
  for (const f of spec.files) part(`rtl:${f.name}`, f.content);
  part('probe-map', readFileSync(spec.probeMapPath, 'utf8'));
  return h.digest('hex');
}

/** A user's RTL description file (paths inside it are relative to the file). */
export function userRtl(descriptionPath: string): RtlSpec {
  const file = resolve(descriptionPath);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new RtlDescriptionError(file, `cannot read the RTL description: ${(e as Error).message}`);
  }
  const base = dirname(file);
  const strings = (key: string, required: boolean): string[] => {
    const v = json[key];
    if (v === undefined && !required) return [];
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string') || (required && v.length === 0)) {
      throw new RtlDescriptionError(file, `"${key}" must be a ${required ? 'non-empty ' : ''}list of strings`);
    }
    return v as string[];
  };
  if (typeof json.top !== 'string' || json.top === '') throw new RtlDescriptionError(file, '"top" must name the top module');
  if (typeof json.probeMap !== 'string') throw new RtlDescriptionError(file, '"probeMap" must be the path of the probe map');
  const files = strings('files', true).map((f) => {
    const path = resolve(base, f);
    if (!existsSync(path)) throw new RtlDescriptionError(file, `source "${f}" does not exist`);
    return { name: basename(path), path, content: readFileSync(path, 'utf8') };
  });
  const probeMapPath = resolve(base, json.probeMap);
  if (!existsSync(probeMapPath)) throw new RtlDescriptionError(file, `probe map "${json.probeMap}" does not exist`);
  return {
    label: file,
    top: json.top,
    files,
    includeDirs: strings('includeDirs', false).map((d) => resolve(base, d)),
    probeMapPath,
    verilatorFlags: strings('verilatorFlags', false),
  };
}
