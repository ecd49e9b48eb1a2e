/**
 * fpga target names:
 *   fpga                 a local emulated board (agent on loopback, started on demand), memory seed 1
 *   fpga@emu:SEED        the same with another memory seed; fpga@in-order with the in-order memory
 *   fpga:<board>         the agent the boards file lists under that name (boards-config.ts)
 */
import { parseTsimMemory } from '../../tsim/memory-option.js';
import { BoardsConfigError } from '../errors.js';
import { boardEndpoint } from './boards-config.js';
import { FpgaTarget } from './fpga-target.js';
import { startLocalEmuAgent, type LocalAgent } from './local-agent.js';

export async function createFpgaTarget(name: string): Promise<FpgaTarget> {
  if (name.startsWith('fpga:')) {
    const board = name.slice(5);
    if (!board) throw new BoardsConfigError('fpga:<board> needs a board name');
    const target = new FpgaTarget({ name, endpoint: boardEndpoint(board) });
    // Handshake now: an unreachable board or a wrong token is a user error, not a crashed run.
    await target.connect();
    return target;
  }
  const m = /^fpga(?:@(.+))?$/.exec(name);
  if (!m) throw new BoardsConfigError(`"${name}" is not an fpga target name; expected fpga, fpga@emu:SEED, fpga@in-order or fpga:<board>`);
  const memory = m[1] !== undefined ? parseTsimMemory(m[1]) : { kind: 'emu' as const, seed: 1 };
  let agent: LocalAgent | undefined;
  return new FpgaTarget({
    name,
    endpoint: async () => (agent ??= await startLocalEmuAgent(memory)).endpoint,
    onClose: async () => {
      await agent?.stop();
      agent = undefined;
    },
  });
}
