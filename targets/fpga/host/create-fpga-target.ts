/**
 * fpga target names:
 *   fpga                 a local emulated board (agent on loopback, started on demand), memory seed 1
 *   fpga@emu:SEED        the same with another memory seed; fpga@in-order with the in-order memory
 *   fpga:<board>         the agent the boards file lists under that name (boards-config.ts)
 *   fpga:*               every board of the boards file (all-boards.ts): `regress` spreads its runs
 *                        over them, one worker per board; here (diff, re-runs) the first board that
 *                        answers, named fpga:<that board>
 * and, for the local emulated board, options after commas, e.g. fpga@emu:3,no-probes,rtl=in-order-reads:
 *   no-probes            ask for no events, as a board without host-side probes (outputs, counters
 *                        and the trace unit's records only)
 *   rtl=<variant>        the board's bitstream is our RTL with a seeded-bug variant (fixtures/rtl-variants/)
 */
import { parseTsimMemory } from '../../tsim/memory-option.js';
import { variantNames } from '../../tsim/rtl-source.js';
import { BoardsConfigError } from '../errors.js';
import { firstReachableBoard, isAllBoards } from './all-boards.js';
import { boardEndpoint } from './boards-config.js';
import { FpgaTarget } from './fpga-target.js';
import { startLocalEmuAgent, type LocalAgent } from './local-agent.js';

export interface FpgaTargetOptions {
  /** The boards file fpga:<board> and fpga:* resolve through (`--boards`); default $VTA_TRACE_BOARDS, else ./vta-boards.json. */
  boardsFile?: string;
}

export async function createFpgaTarget(name: string, opts: FpgaTargetOptions = {}): Promise<FpgaTarget> {
  if (isAllBoards(name)) return firstReachableBoard(opts.boardsFile);
  if (name.startsWith('fpga:')) {
    const board = name.slice(5);
    if (!board) throw new BoardsConfigError('fpga:<board> needs a board name');
    const target = new FpgaTarget({ name, endpoint: boardEndpoint(board, opts.boardsFile) });
    // Handshake now: an unreachable board or a wrong token is a user error, not a crashed run.
    await target.connect();
    return target;
  }
  const m = /^fpga(?:@([^,]+))?((?:,[^,]+)*)$/.exec(name);
  if (!m) throw new BoardsConfigError(`"${name}" is not an fpga target name; expected fpga, fpga@emu:SEED, fpga@in-order, fpga:<board> or fpga:* (local boards may add ,no-probes and ,rtl=<variant>)`);
  const memory = m[1] !== undefined ? parseTsimMemory(m[1]) : { kind: 'emu' as const, seed: 1 };
  if (memory.dma) throw new BoardsConfigError(`fpga target "${name}": the emulated board places each bundle in its DMA region itself; give its memory without +dma`);
  let probes = true;
  let variant: string | undefined;
  for (const opt of m[2]!.split(',').slice(1)) {
    if (opt === 'no-probes') probes = false;
    else if (opt.startsWith('rtl=') && variantNames().includes(opt.slice(4))) variant = opt.slice(4);
    else if (opt.startsWith('rtl=')) throw new BoardsConfigError(`fpga target "${name}": no RTL variant "${opt.slice(4)}"; known: ${variantNames().join(', ')}`);
    else throw new BoardsConfigError(`fpga target "${name}": unknown option "${opt}"; expected no-probes or rtl=<variant>`);
  }
  let agent: LocalAgent | undefined;
  return new FpgaTarget({
    name,
    probes,
    endpoint: async () => (agent ??= await startLocalEmuAgent({ memory, ...(variant !== undefined ? { variant } : {}) })).endpoint,
    onClose: async () => {
      await agent?.stop();
      agent = undefined;
    },
  });
}
