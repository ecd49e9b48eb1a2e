/**
 * `vta-trace bundle save --workload NAME [--config NAME|FILE] [--seed N] -o FILE`: build a
 * workload once and keep it as a bundle file (docs/bundle-format.md), to attach to a bug report
 * or replay with `diff --bundle FILE`.
 * `vta-trace bundle show FILE [--json]`: what a bundle file holds — header, then one line per
 * instruction with its source-map entry. Exit 0, or 2 on any error (unreadable file, bad options).
 */
import type { Command } from 'commander';
import { bundleHash, loadBundle, saveBundle } from '../../runtime/bundle/bundle-file.js';
import { insnBytes, type ProgramBundle, type SourceMapEntry } from '../../runtime/bundle/bundle.js';
import { fixtureNameOf } from '../../runtime/config/fixtures.js';
import { VtaUserError } from '../../runtime/errors.js';
import { decodeInsn, insnHex } from '../../runtime/isa/codec.js';
import { disassemble } from '../../runtime/isa/disasm.js';
import { prepareOutputFile } from '../../runtime/files/output-path.js';
import { addSeedAndConfig, buildNamedWorkload, WORKLOAD_HELP } from '../workload-option.js';
import { finishOrderProblem, type FinishOrderProblem } from '../../runtime/builder/finish-order.js';

interface SaveOptions {
  workload: string;
  config?: string;
  seed?: number;
  output: string;
}

const hex8 = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;

function loopText(e: SourceMapEntry): string {
  return e.loop ? ` {${Object.entries(e.loop).map(([k, v]) => `${k}: ${v}`).join(', ')}}` : '';
}

interface InsnLine {
  pc: number;
  hex: string;
  disasm: string;
  source: SourceMapEntry | null;
}

function instructionLines(b: ProgramBundle): InsnLine[] {
  const raw = insnBytes(b);
  return Array.from({ length: b.insnCount }, (_, pc) => {
    let disasm: string;
    try {
      disasm = disassemble(b.params, decodeInsn(b.params, raw, pc * 16, pc));
    } catch (e) {
      // A bundle under investigation may hold a bad word; show it instead of refusing the file.
      if (!(e instanceof VtaUserError)) throw e;
      disasm = `(undecodable: ${e.message})`;
    }
    return { pc, hex: insnHex(raw, pc * 16), disasm, source: b.sourceMap[pc] ?? null };
  });
}

/** Whether FINISH waits for every module (runtime/builder/finish-order.ts); undefined when a word does not decode. */
function finishOrder(b: ProgramBundle): FinishOrderProblem | null | undefined {
  const raw = insnBytes(b);
  try {
    return finishOrderProblem(Array.from({ length: b.insnCount }, (_, pc) => decodeInsn(b.params, raw, pc * 16, pc)));
  } catch (e) {
    if (e instanceof VtaUserError) return undefined;
    throw e;
  }
}

function finishText(b: ProgramBundle): string {
  const problem = finishOrder(b);
  if (problem === undefined) return 'not checked (an instruction does not decode)';
  if (problem === null) return 'waits for every module';
  return `WARNING instruction #${problem.index}: ${problem.reason}`;
}

function showText(path: string, b: ProgramBundle): string {
  const p = b.params;
  const out: string[] = [];
  const workload = b.workload ? `${b.workload.name}${b.workload.seed !== undefined ? `  seed ${b.workload.seed}` : ''}${b.workload.params ? `  params ${JSON.stringify(b.workload.params)}` : ''}` : '(not recorded)';
  out.push(`bundle    ${path}`);
  out.push(`hash      ${bundleHash(b)}`);
  out.push(`config    ${fixtureNameOf(p) ?? '(not a shipped fixture)'}  hash ${p.hash}  ${p.bitstream}`);
  out.push(`workload  ${workload}`);
  out.push(`program   ${b.insnCount} instructions at ${hex8(b.insnAddr)}`);
  out.push(`finish    ${finishText(b)}`);
  out.push('buffers');
  const nameWidth = Math.max(4, ...b.buffers.map((x) => x.name.length), ...b.outputs.map((o) => o.name.length));
  for (const x of b.buffers) out.push(`  ${x.name.padEnd(nameWidth)}  ${x.role.padEnd(5)}  ${hex8(x.addr)}  ${x.bytes.length} bytes`);
  out.push('outputs');
  for (const o of b.outputs) {
    const exp = b.expected?.[o.name];
    out.push(`  ${o.name.padEnd(nameWidth)}  ${hex8(o.addr)}  ${o.size} bytes  expected: ${exp ? `${exp.length} bytes` : 'none'}`);
  }
  if (!b.outputs.length) out.push('  (none)');
  out.push('instructions');
  const lines = instructionLines(b);
  const width = Math.max(...lines.map((l) => l.disasm.length), 0);
  let prevNote: string | undefined;
  for (const l of lines) {
    // Workloads often give a whole run of instructions the same note; print it where it changes.
    const s = l.source;
    const note = s?.note && s.note !== prevNote ? ` — ${s.note}` : '';
    prevNote = s?.note;
    const source = s ? `${s.op}${loopText(s)}${note}` : '—';
    out.push(`  #${String(l.pc).padEnd(5)} ${l.disasm.padEnd(width)}  ; ${source}`);
  }
  return out.join('\n') + '\n';
}

function showJson(path: string, b: ProgramBundle): string {
  const p = b.params;
  return (
    JSON.stringify(
      {
        file: path,
        hash: bundleHash(b),
        config: { name: fixtureNameOf(p) ?? null, hash: p.hash, bitstream: p.bitstream, json: p.json },
        workload: b.workload ?? null,
        insnAddr: b.insnAddr,
        insnCount: b.insnCount,
        finish: ((f) => (f === undefined ? 'not checked' : f === null ? 'ok' : f))(finishOrder(b)),
        buffers: b.buffers.map((x) => ({ name: x.name, role: x.role, addr: x.addr, length: x.bytes.length })),
        outputs: b.outputs.map((o) => ({ ...o, expectedLength: b.expected?.[o.name]?.length ?? null })),
        instructions: instructionLines(b),
      },
      null,
      2,
    ) + '\n'
  );
}

export function registerBundle(program: Command): void {
  const bundle = program.command('bundle').description('save a workload as a bundle file, or show what a bundle file holds');
  const save = bundle
    .command('save')
    .description('build a workload and write it as a bundle file')
    .requiredOption('--workload <name>', WORKLOAD_HELP)
    .requiredOption('-o, --output <file>', 'bundle file to write')
    .action((o: SaveOptions) => {
      prepareOutputFile(o.output, 'bundle file');
      const { bundle: b, config } = buildNamedWorkload(o.workload, o);
      saveBundle(o.output, b);
      process.stdout.write(`saved ${o.workload} (${b.insnCount} instructions, config ${config}, bundle ${bundleHash(b)}) to ${o.output}\n`);
    });
  addSeedAndConfig(save);
  bundle
    .command('show')
    .description('print a bundle file: header, then the disassembly with source-map entries')
    .argument('<file>', 'bundle file')
    .option('--json', 'print as JSON')
    .action((file: string, o: { json?: boolean }) => {
      const b = loadBundle(file);
      process.stdout.write(o.json ? showJson(file, b) : showText(file, b));
    });
}
