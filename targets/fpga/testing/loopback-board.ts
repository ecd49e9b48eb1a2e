/**
 * An emulated board for tests: our RTL behind the emu backend's harsh memory, an agent on
 * loopback that wants `token`, and an FpgaTarget connected to it as `fpga:<name>`.
 */
import { AgentServer } from '../agent/agent-server.js';
import { EmuBackend } from '../backends/emu-backend.js';
import type { Endpoint } from '../host/agent-client.js';
import { FpgaTarget } from '../host/fpga-target.js';

export interface LoopbackBoard {
  target: FpgaTarget;
  /** The agent's address and token, for another target on the same board (e.g. one without probes). */
  endpoint: Endpoint;
  /** Closes the target, then the agent, then the backend (its simulator). */
  close(): Promise<void>;
}

export async function startLoopbackBoard(name: string, memorySeed: number, token: string): Promise<LoopbackBoard> {
  const backend = new EmuBackend({ memory: { kind: 'emu', seed: memorySeed } });
  const agent = await AgentServer.start({ backend, token });
  const endpoint = { board: name, ...agent.address, token };
  const target = new FpgaTarget({ name: `fpga:${name}`, endpoint });
  return {
    target,
    endpoint,
    async close() {
      await target.close();
      await agent.close();
      await backend.close();
    },
  };
}
