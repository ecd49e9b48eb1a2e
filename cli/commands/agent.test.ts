/** `vta-trace agent` argument handling: where to listen, and refusals that need no board. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';
import { parseListen } from './agent.js';

describe('vta-trace agent', () => {
  it('reads HOST:PORT and [IPv6]:PORT', () => {
    expect(parseListen('127.0.0.1:7070')).toEqual({ host: '127.0.0.1', port: 7070 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListen('board.lan:65535')).toEqual({ host: 'board.lan', port: 65535 });
    expect(() => parseListen('7070')).toThrow(/--listen "7070": expected HOST:PORT/);
    expect(() => parseListen('h:65536')).toThrow(/expected HOST:PORT/);
  });

  it('will not listen beyond loopback without a token, and names unknown backends', async () => {
    const saved = process.env.VTA_AGENT_TOKEN;
    delete process.env.VTA_AGENT_TOKEN;
    try {
      const open = await runCli('agent', '--backend', 'emu', '--listen', '0.0.0.0:0');
      expect(open.code).toBe(2);
      expect(open.err).toMatch(/^vta-trace: refusing to listen on 0\.0\.0\.0 without a token/);
      const unknown = await runCli('agent', '--backend', 'zedboard');
      expect(unknown.code).toBe(2);
      expect(unknown.err.trim()).toBe('vta-trace: unknown board backend "zedboard"; known: emu, de10nano, pynq');
    } finally {
      if (saved !== undefined) process.env.VTA_AGENT_TOKEN = saved;
    }
  });
});
