/**
 * `vta-trace shrink BUNDLE [--targets A,B] [--tsim-variant NAME] [-o OUT] [--json]`: from a bundle
 * on which the targets diverge, a minimal bundle on which they still diverge with the same
 * signature (regression/shrink/, docs/shrink.md). Prints the instruction counts before and after
 * and the `vta-trace diff` line that reproduces the divergence on the shrunk bundle.
 * Exit 0 shrunk, 2 on bad input, 3 when the targets agree on the bundle (nothing to shrink).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadBundle, saveBundle } from '../../runtime/bundle/bundle-file.js';
import { VtaUserError } from '../../runtime/errors.js';
import { prepareOutputFile } from '../../runtime/files/output-path.js';
import { NoDivergenceError, shrinkBundle, type ShrinkResult } from '../../regression/shrink/shrink.js';
import { signatureText } from '../../regression/shrink/signature.js';
import { shellQuote } from '../../tracer/diverge/reproduce.js';
import { cycleLimitArg } from '../int-option.js';

/** Exit status when the targets agree on the bundle given. */
export const EXIT_NO_DIVERGENCE = 3;

interface ShrinkOptions {
  targets: string;
  tsimVariant?: string;
  output?: string;
  json?: boolean;
  quiet?: boolean;
  idleCycles?: number;
  acceptCycles?: number;
}

/** --targets with --tsim-variant applied (tsim → tsim:<variant>), as regress spells it. */
export function shrinkTargets(list: string, variant?: string): string[] {
  // A fault's own parameters are comma-separated too (fsim+gemm-lane:pc=9,lane=3): a piece that is
  // only key=number belongs to the target before it.
  const targets: string[] = [];
  for (const piece of list.split(',').map((t) => t.trim())) {
    if (/^[a-z]+=\d+$/.test(piece) && targets.length && targets[targets.length - 1]!.startsWith('fsim+')) targets[targets.length - 1] += `,${piece}`;
    else targets.push(piece);
  }
  if (targets.length < 2 || targets.some((t) => !t)) throw new VtaUserError(`--targets "${list}": expected two or more comma-separated target names, e.g. fsim,tsim:alu-swap`);
  if (variant === undefined) return targets;
  if (!targets.includes('tsim')) throw new VtaUserError(`--tsim-variant ${variant}: --targets "${list}" has no plain tsim to replace (name the variant there: tsim:${variant})`);
  return targets.map((t) => (t === 'tsim' ? `tsim:${variant}` : t));
}

export function reproduceLine(r: ShrinkResult, file: string): string {
  return ['vta-trace', 'diff', ...r.targets.map(shellQuote), '--bundle', shellQuote(resolve(file))].join(' ');
}

async function runShrink(file: string, o: ShrinkOptions): Promise<void> {
  const targets = shrinkTargets(o.targets, o.tsimVariant);
  const out = o.output ?? file.replace(/(\.vtab)?$/, '.shrunk.vtab');
  prepareOutputFile(out, 'shrunk bundle file');
  const bundle = loadBundle(file);
  let r: ShrinkResult;
  try {
    r = await shrinkBundle(bundle, targets, {
      ...(o.idleCycles !== undefined ? { idleCycles: o.idleCycles } : {}),
      ...(o.acceptCycles !== undefined ? { acceptCycles: o.acceptCycles } : {}),
      ...(o.quiet || o.json ? {} : { log: (l: string) => process.stderr.write(`shrink: ${l}\n`) }),
    });
  } catch (e) {
    if (!(e instanceof NoDivergenceError)) throw e;
    process.stderr.write(`vta-trace: ${e.message}\n`);
    process.exitCode = EXIT_NO_DIVERGENCE;
    return;
  }
  saveBundle(out, r.bundle);
  const reproduce = reproduceLine(r, out);
  if (o.json) {
    process.stdout.write(JSON.stringify({ input: file, output: resolve(out), before: r.before, after: r.after, signature: r.signature, targets: r.targets, seconds: r.seconds, candidates: r.stats, steps: r.steps, reproduce }, null, 2) + '\n');
    return;
  }
  process.stdout.write(
    [
      `shrunk ${file}: ${r.before} → ${r.after} instructions (${((100 * r.after) / r.before).toFixed(1)}%), ${r.stats.candidates} candidates in ${r.seconds.toFixed(1)} s`,
      `signature ${signatureText(r.signature)}`,
      `wrote    ${out}`,
      `reproduce: ${reproduce}`,
    ].join('\n') + '\n',
  );
}

export function registerShrink(program: Command): void {
  program
    .command('shrink')
    .description('reduce a bundle on which targets diverge to a minimal one that diverges the same way')
    .argument('<bundle>', 'bundle file on which the targets diverge')
    .option('--targets <list>', 'the targets to compare, the first the reference (as diff takes them: fsim, fsim+<fault>, tsim, tsim:<variant>, tsim=DESIGN.json, …)', 'fsim,tsim')
    .option('--tsim-variant <name>', 'a seeded-bug RTL variant in place of tsim')
    .option('-o, --output <file>', 'shrunk bundle file (default: BUNDLE with .shrunk.vtab)')
    .option('--json', 'print the result as JSON')
    .option('--quiet', 'no progress lines on stderr')
    .option('--idle-cycles <n>', 'tsim: cycles without any progress before a run is a hang (default 200000)', cycleLimitArg('--idle-cycles'))
    .option('--accept-cycles <n>', 'tsim: cycles a module may sit idle with its next instruction unaccepted (default 2000)', cycleLimitArg('--accept-cycles'))
    .action((file: string, o: ShrinkOptions) => runShrink(file, o));
}
