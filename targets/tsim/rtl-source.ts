/**
 * Which RTL to build: our own core (targets/tsim/rtl/ plus the generated configuration package),
 * a seeded-bug variant of it (fixtures/rtl-variants/<name>/variant.patch: a unified diff applied
 * at build time, rtl-patch.ts), our core with an overlay folder or patches a design description
 * names, or a user's RTL described by a JSON file (targets/tsim/README.md, "Bring your own RTL").
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { VtaParams } from '../../runtime/config/config.js';
import { repoPath } from '../../runtime/repo.js';
import { didYouMean } from '../../runtime/suggest.js';
import { RtlDescriptionError } from './errors.js';
import { applyRtlPatches, readRtlPatch, type RtlPatch } from './rtl-patch.js';

export interface RtlFile {
  /** File name as given to Verilator (generated files are written under this name). */
  name: string;
  /** Where the source is, or undefined for a generated or patched file (the build writes `content`). */
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
/** A variant folder's own probe map, used instead of fixtures/probe-maps/vta-trace-rtl.json. */
const VARIANT_PROBE_MAP = 'probe-map.json';
/** A variant folder's change to our RTL, a unified diff (fixtures/rtl-variants/README.md). */
export const VARIANT_PATCH = 'variant.patch';

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

/** What a variant changes: its patch, and its own probe map when it stores state differently. */
export interface RtlChanges {
  /** Applied in order to our RTL (variant.patch first, then a description's `patches`). */
  patches?: RtlPatch[];
  /** A folder whose .sv/.v files replace same-named ones of our RTL (a design description's `overlay`). */
  overlayDir?: string;
  /** Replaces fixtures/probe-maps/vta-trace-rtl.json. */
  probeMapPath?: string;
}

/** A variant folder read: its patch (labelled with the folder) and its probe map if it has one. */
export function variantChanges(variant: string): RtlChanges & { patches: RtlPatch[] } {
  const vdir = variantDir(variant);
  const patchFile = join(vdir, VARIANT_PATCH);
  if (!existsSync(patchFile)) {
    const copies = readdirSync(vdir).filter(isSource);
    const why = copies.length > 0 ? `it holds whole-file copies (${copies.join(', ')}); a variant is now a unified diff against targets/tsim/rtl/ (fixtures/rtl-variants/README.md)` : 'a variant folder holds its change as a unified diff';
    throw new RtlDescriptionError(vdir, `no ${VARIANT_PATCH}: ${why}`);
  }
  const probeMap = join(vdir, VARIANT_PROBE_MAP);
  return {
    patches: [readRtlPatch(patchFile, `fixtures/rtl-variants/${variant}/${VARIANT_PATCH}`)],
    // A variant that stores state differently (split-sram) brings the probe map that finds it.
    ...(existsSync(probeMap) ? { probeMapPath: probeMap } : {}),
  };
}

/** Our RTL, optionally with a variant's patch applied. */
export async function ownRtl(params: VtaParams, variant?: string): Promise<RtlSpec> {
  const changes = variant !== undefined ? variantChanges(variant) : {};
  return ownRtlWith(params, changes, variant ? `vta-trace RTL + variant ${variant}` : 'vta-trace RTL');
}

/**
 * Our RTL with changes: the overlay folder's sources shadowing same-named ones (others added
 * last), then the patches in order. A patch that does not fit is an RtlPatchError naming the hunk.
 * `dir`: our RTL's folder in another checkout of vta-trace (bisect's worktrees); default this one's.
 */
export async function ownRtlWith(params: VtaParams, changes: RtlChanges, label: string, dir = ownRtlDir()): Promise<RtlSpec> {
  if (!existsSync(dir)) throw new RtlDescriptionError(dir, 'our RTL is not there (targets/tsim/rtl/)');
  const shadow = new Map<string, string>();
  const overlayDir = changes.overlayDir;
  if (overlayDir !== undefined) {
    if (!existsSync(overlayDir)) throw new RtlDescriptionError(overlayDir, 'the overlay folder does not exist');
    for (const n of readdirSync(overlayDir)) if (isSource(n)) shadow.set(n, join(overlayDir, n));
  }
  let files: RtlFile[] = [await generatedPackage(params)];
  const order = ownFileOrder(dir).filter((n) => basename(n) !== 'vta_pkg.sv');
  for (const n of order) {
    const path = shadow.get(basename(n)) ?? join(dir, n);
    shadow.delete(basename(n));
    files.push({ name: basename(n), path, content: readFileSync(path, 'utf8') });
  }
  // Files an overlay adds (not shadowing anything) come last.
  for (const [n, path] of [...shadow].sort()) if (/\.(sv|v)$/.test(n)) files.push({ name: n, path, content: readFileSync(path, 'utf8') });
  if (changes.patches?.length) files = applyRtlPatches(files, changes.patches);
  return {
    label,
    top: OWN_TOP,
    files,
    includeDirs: overlayDir ? [overlayDir, dir] : [dir],
    probeMapPath: changes.probeMapPath ?? repoPath('fixtures', 'probe-maps', 'vta-trace-rtl.json'),
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
  const base = sourceDir(file, json.sourceDir);
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
    if (!existsSync(path)) throw new RtlDescriptionError(file, `source "${f}" does not exist${base !== dirname(file) ? ` in ${base}` : ''}`);
    return { name: basename(path), path, content: readFileSync(path, 'utf8') };
  });
  const probeMapPath = resolve(dirname(file), json.probeMap);
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

/**
 * The folder `files` and `includeDirs` are relative to: the description's own folder, or its
 * `sourceDir` — a path (relative to the description) that may begin with `${NAME}`, the value of
 * environment variable NAME. Generated Verilog lives in the designer's build folder, not beside a
 * description shipped in fixtures/, so the description names the folder by a variable
 * (fixtures/designs/upstream-chisel/design.json: `${VTA_UPSTREAM_RTL}`).
 */
function sourceDir(file: string, v: unknown): string {
  const own = dirname(file);
  if (v === undefined) return own;
  if (typeof v !== 'string' || v === '') throw new RtlDescriptionError(file, '"sourceDir" must be a folder path (it may begin with ${NAME}, an environment variable)');
  const m = /^\$\{(\w+)\}(.*)$/.exec(v);
  let path = v;
  if (m) {
    const value = process.env[m[1]!];
    if (value === undefined || value === '') {
      throw new RtlDescriptionError(file, `"sourceDir" is ${v}, but environment variable ${m[1]} is not set (set it to the folder holding the generated Verilog)`);
    }
    path = value + m[2]!;
  }
  const dir = resolve(own, path);
  if (!existsSync(dir)) throw new RtlDescriptionError(file, `"sourceDir" ${v} is ${dir}, which does not exist`);
  return dir;
}
