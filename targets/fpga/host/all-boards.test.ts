/**
 * `fpga:*` where one target is needed (diff, a divergence re-run): the first board of the boards
 * file that answers, named after it; a user error naming every board's failure when none does.
 * The boards are agents over the simulated register file (no RTL).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VtaUserError } from '../../../runtime/errors.js';
import { AgentServer } from '../agent/agent-server.js';
import { boardProfile } from '../board-profiles.js';
import { FakeBoard } from '../testing/fake-board.js';
import { createFpgaTarget } from './create-fpga-target.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-all-boards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function agent(token: string): Promise<AgentServer> {
  return AgentServer.start({ backend: new FakeBoard(boardProfile('de10nano'), { finishAfter: 100 }), token });
}

describe('fpga:* as one target', () => {
  it('is the first board that answers, named after it; a board that refuses or is gone is skipped', async () => {
    const gone = await agent('t');
    const gonePort = gone.address.port;
    await gone.close();
    const wrongToken = await agent('other');
    const good = await agent('t');
    writeFileSync(join(dir, 't.token'), 't\n');
    const file = join(dir, 'boards.json');
    writeFileSync(
      file,
      JSON.stringify([
        { name: 'gone', host: '127.0.0.1', port: gonePort, tokenFile: 't.token' },
        { name: 'refuses', host: '127.0.0.1', port: wrongToken.address.port, tokenFile: 't.token' },
        { name: 'good', host: '127.0.0.1', port: good.address.port, tokenFile: 't.token' },
      ]),
    );
    process.env.VTA_TRACE_BOARDS = file;
    try {
      const t = await createFpgaTarget('fpga:*');
      expect(t.name).toBe('fpga:good');
      await t.close();
      await good.close();
      const err = await createFpgaTarget('fpga:*').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VtaUserError);
      expect((err as Error).message).toMatch(
        new RegExp(`^fpga:\\*: no board of .*boards\\.json answered: board gone \\(127\\.0\\.0\\.1:${gonePort}\\): ECONNREFUSED; board refuses .* refused: .*; board good .*ECONNREFUSED$`),
      );
    } finally {
      delete process.env.VTA_TRACE_BOARDS;
      await wrongToken.close();
    }
  });
});
