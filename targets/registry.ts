/**
 * Target names as the CLI and suites write them:
 *   fsim                  the behavioural model
 *   fsim+<fault>          fsim carrying a seeded bug, e.g. fsim+alu-op:pc=12,op=2 (targets/fsim/faults.ts)
 *   tsim                  our RTL under Verilator
 *   tsim:<variant>        our RTL with a seeded-bug variant from fixtures/rtl-variants/<variant>
 *   tsim[:<variant>]@emu:<seed>   the same on the emulated board's memory (targets/tsim/memory-option.ts)
 *   tsim=<design.json>[@…]  the RTL a design description file names (docs/design-description.md)
 *   fpga, fpga@emu:<seed>, fpga:<board>   a board agent over TCP (targets/fpga/host/create-fpga-target.ts)
 *   fpga:*                the first board of the boards file that answers (targets/fpga/host/all-boards.ts)
 */
import { VtaUserError } from '../runtime/errors.js';
import { didYouMean } from '../runtime/suggest.js';
import { createFsimTarget } from './fsim/fsim-target.js';
import { parseFault } from './fsim/faults.js';
import type { Target } from '../runtime/contract/target.js';

export interface TargetOptions {
  /**
   * The boards file fpga:<board> and fpga:* resolve through (`--boards`); default: $VTA_TRACE_BOARDS
   * or ./vta-boards.json. Passed explicitly, not through the environment, so that worker threads
   * (which get it in their task messages) and several commands in one process never see each
   * other's file.
   */
  boardsFile?: string;
  /** tsim: cycles without progress before a run is a hang (`--idle-cycles`). */
  idleCycles?: number;
  /** tsim: cycles a module may sit idle with its next instruction unaccepted (`--accept-cycles`). */
  acceptCycles?: number;
}

export async function createTarget(name: string, opts: TargetOptions = {}): Promise<Target> {
  if (name === 'fsim') return createFsimTarget();
  if (name.startsWith('fsim+')) return createFsimTarget({ fault: parseFault(name.slice(5)) });
  if (name === 'tsim' || name.startsWith('tsim:') || name.startsWith('tsim@') || name.startsWith('tsim=')) {
    const { createTsimTarget } = await import('./tsim/target.js');
    const { parseTsimTargetName } = await import('./tsim/memory-option.js');
    const { design, ...rest } = parseTsimTargetName(name);
    return createTsimTarget({
      ...rest,
      ...(design !== undefined ? { rtl: design } : {}),
      ...(opts.idleCycles !== undefined ? { idleCycles: opts.idleCycles } : {}),
      ...(opts.acceptCycles !== undefined ? { acceptCycles: opts.acceptCycles } : {}),
    });
  }
  if (name === 'fpga' || name.startsWith('fpga:') || name.startsWith('fpga@')) return (await import('./fpga/host/create-fpga-target.js')).createFpgaTarget(name, opts.boardsFile !== undefined ? { boardsFile: opts.boardsFile } : {});
  throw new VtaUserError(`unknown target "${name}"${didYouMean(name, ['fsim', 'tsim', 'fpga'])}; known: fsim, fsim+<fault>, tsim, tsim:<variant>, tsim[:<variant>]@emu:<seed>, tsim=<design.json>, fpga, fpga@emu:<seed>, fpga:<board>, fpga:*`);
}

/**
 * The design description a target name names (`tsim=FILE[@…]`), read and checked, or undefined
 * for every other name: its capabilities restrict generated workloads and its known-differences
 * file joins --known before anything runs.
 */
export async function designOfTarget(name: string): Promise<import('./tsim/design.js').Design | undefined> {
  if (!name.startsWith('tsim=')) return undefined;
  const { parseTsimTargetName } = await import('./tsim/memory-option.js');
  const { loadDesign } = await import('./tsim/design.js');
  const { design } = parseTsimTargetName(name);
  return design !== undefined ? loadDesign(design) : undefined;
}
