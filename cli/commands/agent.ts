/**
 * `vta-trace agent --backend emu|pynq|de10nano [--listen HOST:PORT]`: serve one board to fpga
 * targets over TCP (docs/fpga-protocol.md) until SIGINT or SIGTERM. Listens on loopback unless
 * told otherwise, and needs a shared token (--token-file or VTA_AGENT_TOKEN) for any other
 * address.
 */
import type { Command } from 'commander';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { AgentServer } from '../../targets/fpga/agent/agent-server.js';
import { readToken } from '../../targets/fpga/agent/token.js';
import type { Backend } from '../../targets/fpga/backend.js';
import { boardProfile } from '../../targets/fpga/board-profiles.js';
import { AgentConfigError } from '../../targets/fpga/errors.js';
import { parseTsimMemory } from '../../targets/tsim/memory-option.js';

interface AgentCliOptions {
  backend: string;
  listen: string;
  tokenFile?: string;
  memory: string;
  config?: string;
  udmabuf?: string;
  clockMhz: string;
  maxFrame?: string;
}

/** HOST:PORT, [IPv6]:PORT. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new AgentConfigError(`--listen "${text}": expected HOST:PORT (port 0–65535; IPv6 as [ADDR]:PORT)`);
  return { host: (m[1] ?? m[2])!, port };
}

async function makeBackend(o: AgentCliOptions): Promise<Backend> {
  if (o.backend === 'emu') {
    const { EmuBackend } = await import('../../targets/fpga/backends/emu-backend.js');
    return new EmuBackend({ memory: parseTsimMemory(o.memory) });
  }
  const profile = boardProfile(o.backend);
  const clockMHz = Number(o.clockMhz);
  if (!(clockMHz > 0)) throw new AgentConfigError(`--clock-mhz "${o.clockMhz}": expected a positive number`);
  const { MmioBackend } = await import('../../targets/fpga/backends/mmio-backend.js');
  return new MmioBackend(profile, { clockMHz, ...(o.udmabuf ? { udmabuf: o.udmabuf } : {}), ...(o.config ? { config: resolveConfig(o.config) } : {}) });
}

async function runAgent(o: AgentCliOptions): Promise<void> {
  const { host, port } = parseListen(o.listen);
  const token = readToken(o.tokenFile);
  const maxFrameBytes = o.maxFrame === undefined ? undefined : Number(o.maxFrame);
  if (maxFrameBytes !== undefined && !(Number.isInteger(maxFrameBytes) && maxFrameBytes >= 1024)) throw new AgentConfigError(`--max-frame "${o.maxFrame}": expected an integer of at least 1024 bytes`);
  const backend = await makeBackend(o);
  let agent: AgentServer;
  try {
    agent = await AgentServer.start({
      backend,
      host,
      port,
      ...(token !== undefined ? { token } : {}),
      ...(maxFrameBytes !== undefined ? { maxFrameBytes } : {}),
      log: (line) => process.stderr.write(`agent: ${line}\n`),
    });
  } catch (e) {
    await backend.close();
    throw e;
  }
  const a = agent.address;
  process.stdout.write(`agent (${o.backend}) listening on ${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}${token ? ', token required' : ''}\n`);
  await new Promise<void>((res) => {
    process.once('SIGINT', res);
    process.once('SIGTERM', res);
  });
  await agent.close();
  await backend.close();
}

export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('serve a board (or the emulated board) to fpga targets over TCP')
    .requiredOption('--backend <name>', 'emu, pynq or de10nano')
    .option('--listen <host:port>', 'address to listen on (non-loopback needs a token)', '127.0.0.1:7070')
    .option('--token-file <file>', 'shared token clients must present (else $VTA_AGENT_TOKEN)')
    .option('--memory <model>', 'emu: memory behind the RTL, emu:SEED or in-order', 'emu:1')
    .option('--config <name|file>', 'pynq/de10nano: configuration of the loaded bitstream (bundles for others are refused)')
    .option('--udmabuf <name>', 'pynq/de10nano: u-dma-buf buffer to use', 'udmabuf0')
    .option('--clock-mhz <n>', 'pynq/de10nano: fabric clock, for poll waits', '100')
    .option('--max-frame <bytes>', 'largest frame accepted')
    .action((o: AgentCliOptions) => runAgent(o));
}
