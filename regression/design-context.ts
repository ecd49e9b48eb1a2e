/**
 * What the design descriptions among a command's targets bring (docs/design-description.md):
 * the capabilities every one of them has (generated workloads keep inside them) and the known
 * differences of their `known` files plus --known, read and checked before anything runs.
 */
import { commonCapabilities, depthOf, type Capabilities } from '../runtime/capabilities.js';
import type { VtaParams } from '../runtime/config/config.js';
import { designOfTarget } from '../targets/registry.js';
import { loadKnownDifferences, type KnownEntry } from '../tracer/known/known-file.js';
import type { KnownContext } from '../tracer/diverge/engine.js';
import type { ProgramBundle } from '../runtime/bundle/bundle.js';

export interface DesignContext {
  capabilities?: Capabilities;
  known: KnownEntry[];
}

export async function designContext(targets: readonly string[], knownFiles: readonly string[] = []): Promise<DesignContext> {
  const designs = (await Promise.all(targets.map(designOfTarget))).filter((d) => d !== undefined);
  const capabilities = commonCapabilities(designs.map((d) => d.capabilities));
  const known = loadKnownDifferences([...designs.flatMap((d) => (d.knownFile ? [d.knownFile] : [])), ...knownFiles]);
  return { ...(capabilities ? { capabilities } : {}), known };
}

/** The engine's view of the known differences for one bundle. */
export function knownContext(ctx: DesignContext, bundle: ProgramBundle | undefined, params?: VtaParams): KnownContext | undefined {
  if (!ctx.known.length) return undefined;
  const p = bundle?.params ?? params;
  const uopDepth = ctx.capabilities?.depths?.uop !== undefined && p ? depthOf(p, ctx.capabilities, 'uop') : undefined;
  return { entries: ctx.known, ...(bundle ? { bundle } : {}), ...(uopDepth !== undefined ? { uopDepth } : {}) };
}

/** Commander collector for a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
