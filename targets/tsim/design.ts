/**
 * A design description file (docs/design-description.md): which RTL to build — files of one's
 * own (`top`, `files`, `probeMap`, as in targets/tsim/README.md) or our RTL with an overlay folder
 * or a variant (`base: "vta-trace"`), either with `patches` (unified diffs applied at build time)
 * — plus what the design implements (`capabilities`) and the differences from fsim its team has
 * accepted (`known`). Named on the command line as `tsim=FILE[@memory]`; a FILE ending in .patch
 * or .diff is itself the description "our RTL with this patch".
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { VtaParams } from '../../runtime/config/config.js';
import { parseCapabilities, type Capabilities } from '../../runtime/capabilities.js';
import { RtlDescriptionError } from './errors.js';
import { applyRtlPatches, readRtlPatch, type RtlPatch } from './rtl-patch.js';
import { ownRtlWith, userRtl, variantChanges, type RtlSpec } from './rtl-source.js';
import { existsSync } from 'node:fs';

export interface Design {
  /** The description file, absolute. */
  file: string;
  /** `name` of the description, else the file. */
  label: string;
  capabilities?: Capabilities;
  /** The known-differences file it names, absolute. */
  knownFile?: string;
  /** The RTL for one configuration. */
  rtl(params: VtaParams): Promise<RtlSpec>;
}

// sourceDir: where a user RTL description's files are (read by userRtl where it is supported).
const KEYS = ['name', 'description', 'base', 'variant', 'overlay', 'patches', 'sourceDir', 'top', 'files', 'includeDirs', 'probeMap', 'verilatorFlags', 'capabilities', 'known'];

/** A patch file named as the design: our RTL with it applied (what `vta-trace mutate` writes for a mutant). */
function isPatchFile(path: string): boolean {
  return /\.(patch|diff)$/.test(path);
}

export function loadDesign(path: string): Design {
  const file = resolve(path);
  if (isPatchFile(file)) {
    const patches = [readRtlPatch(file, path)];
    return { file, label: `vta-trace RTL + patch ${path}`, rtl: (params) => ownRtlWith(params, { patches }, `vta-trace RTL + patch ${path}`) };
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new RtlDescriptionError(file, `cannot read the design description: ${(e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new RtlDescriptionError(file, 'a design description is a JSON object');
  for (const k of Object.keys(json)) if (!KEYS.includes(k)) throw new RtlDescriptionError(file, `unknown key "${k}"; known: ${KEYS.join(', ')}`);
  const base = dirname(file);
  const str = (key: string): string | undefined => {
    const v = json[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') throw new RtlDescriptionError(file, `"${key}" must be a non-empty string`);
    return v;
  };
  const label = str('name') ?? file;
  const capabilities = json.capabilities === undefined ? undefined : parseCapabilities(json.capabilities, file);
  const known = str('known');
  const knownFile = known === undefined ? undefined : resolve(base, known);
  if (knownFile !== undefined && !existsSync(knownFile)) throw new RtlDescriptionError(file, `known-differences file "${known}" does not exist`);
  const patches = patchList(file, json.patches);
  let rtl: (params: VtaParams) => Promise<RtlSpec>;
  if (json.base !== undefined) {
    if (json.base !== 'vta-trace') throw new RtlDescriptionError(file, `"base" must be "vta-trace" (our RTL), got ${JSON.stringify(json.base)}`);
    for (const k of ['top', 'files', 'probeMap', 'includeDirs', 'verilatorFlags', 'sourceDir']) {
      if (json[k] !== undefined) throw new RtlDescriptionError(file, `"${k}" cannot be given with "base": the base fixes the RTL`);
    }
    const variant = str('variant');
    const overlay = str('overlay');
    if (variant !== undefined && overlay !== undefined) throw new RtlDescriptionError(file, 'give "variant" or "overlay", not both');
    const overlayDir = overlay !== undefined ? resolve(base, overlay) : undefined;
    if (overlayDir !== undefined && !existsSync(overlayDir)) throw new RtlDescriptionError(file, `overlay folder "${overlay}" does not exist`);
    const ofVariant = variant !== undefined ? variantChanges(variant) : { patches: [] };
    const changes = { ...ofVariant, ...(overlayDir ? { overlayDir } : {}), patches: [...ofVariant.patches, ...patches] };
    rtl = (params) => ownRtlWith(params, changes, label);
  } else {
    for (const k of ['variant', 'overlay']) if (json[k] !== undefined) throw new RtlDescriptionError(file, `"${k}" needs "base": "vta-trace"`);
    // Read and patched now: a missing source, probe map or a patch that does not fit is an error before anything runs.
    const own = userRtl(file);
    const spec = { ...own, label, files: patches.length ? applyRtlPatches(own.files, patches) : own.files };
    rtl = async () => spec;
  }
  return { file, label, ...(capabilities ? { capabilities } : {}), ...(knownFile ? { knownFile } : {}), rtl };
}

/** `patches`: patch files relative to the description, read now (a missing one is named before anything runs). */
function patchList(file: string, v: unknown): RtlPatch[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((p) => typeof p !== 'string' || p === '')) throw new RtlDescriptionError(file, '"patches" must be a list of patch file paths');
  return (v as string[]).map((p) => {
    const path = resolve(dirname(file), p);
    if (!existsSync(path)) throw new RtlDescriptionError(file, `patch "${p}" does not exist`);
    return readRtlPatch(path);
  });
}
