/**
 * The `fpga` target without any board: an emulated-board agent started on demand in this
 * process, listening on a free loopback port with a fresh random token, and stopped when the
 * target closes. Everything between the target and the RTL — TCP, frames, handshake, token,
 * the shared launch sequence, the host-port commands — is the path a real board takes.
 */
import { randomBytes } from 'node:crypto';
import { AgentServer } from '../agent/agent-server.js';
import { EmuBackend, type EmuBackendOptions } from '../backends/emu-backend.js';
import type { Endpoint } from './agent-client.js';

export interface LocalAgent {
  endpoint: Endpoint;
  stop(): Promise<void>;
}

export async function startLocalEmuAgent(opts: EmuBackendOptions = {}): Promise<LocalAgent> {
  const token = randomBytes(16).toString('hex');
  const backend = new EmuBackend(opts);
  const server = await AgentServer.start({ backend, host: '127.0.0.1', port: 0, token });
  return {
    endpoint: { board: 'local emu', ...server.address, token },
    async stop() {
      await server.close();
      await backend.close();
    },
  };
}
