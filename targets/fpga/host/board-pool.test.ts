/**
 * The pool over boards: runs spread over every board, and a board that goes away mid-run fails
 * only its own run (a crash naming it) while the rest of the queue finishes on the others.
 * The boards are agents over the simulated register file (no RTL).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/config/fixtures.js';
import { buildWorkload } from '../../../runtime/workloads/index.js';
import { AgentServer } from '../agent/agent-server.js';
import { boardProfile } from '../board-profiles.js';
import { FakeBoard } from '../testing/fake-board.js';
import { BoardPool } from './board-pool.js';
import { threadRunner, workerRunner } from './board-runner.js';
import { FpgaTarget } from './fpga-target.js';

const agents: AgentServer[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
});

async function board(name: string, finishAfter: number): Promise<{ agent: AgentServer; target: FpgaTarget; fake: FakeBoard }> {
  const fake = new FakeBoard(boardProfile('de10nano'), { finishAfter, msPerWait: 2 });
  const agent = await AgentServer.start({ backend: fake });
  agents.push(agent);
  return { agent, fake, target: new FpgaTarget({ name: `fpga:${name}`, endpoint: { board: name, ...agent.address } }) };
}

/** Until the board's design has been waited on: its run is in flight (a worker thread takes a while to start). */
async function running(fake: FakeBoard): Promise<void> {
  while (!fake.log.some((a) => a.op === 'wait')) await new Promise((r) => setTimeout(r, 10));
}

const bundles = (n: number) => Array.from({ length: n }, (_, i) => buildWorkload('random', { config: resolveConfig('small'), seed: i + 1 }));

describe('board pool', () => {
  // A pool board in a piscina worker of its own (the compiled worker in dist/), or in this thread.
  const runners = {
    worker: (x: { agent: AgentServer; target: FpgaTarget }) => workerRunner({ name: x.target.name, endpoint: { board: x.target.name.slice(5), ...x.agent.address } }),
    thread: (x: { agent: AgentServer; target: FpgaTarget }) => threadRunner(x.target),
  };

  it.each(['worker', 'thread'] as const)('spreads runs over every board (one %s per board)', async (kind) => {
    const a = await board('a', 2000);
    const b = await board('b', 2000);
    const pool = new BoardPool([runners[kind](a), runners[kind](b)]);
    try {
      const results = await Promise.all(bundles(6).map((bundle) => pool.run({ bundle })));
      expect(results.map((r) => r.result.status)).toEqual(Array(6).fill('ok'));
      expect(new Set(results.map((r) => r.board))).toEqual(new Set(['fpga:a', 'fpga:b']));
    } finally {
      await pool.close();
    }
  });

  it.each(['worker', 'thread'] as const)('goes on with the other boards when one drops its connection mid-run (one %s per board)', async (kind) => {
    const a = await board('a', 2000);
    const b = await board('b', 1e12); // never finishes: its agent is stopped while it runs
    const pool = new BoardPool([runners[kind](a), runners[kind](b)]);
    try {
      const pending = bundles(5).map((bundle) => pool.run({ bundle }));
      await running(b.fake);
      const port = b.agent.address.port;
      await b.agent.close();
      const results = await Promise.all(pending);
      const onB = results.filter((r) => r.board === 'fpga:b');
      expect(onB).toHaveLength(1);
      expect(onB[0]!.result.status).toBe('crash');
      expect(onB[0]!.result.message).toBe(`fpga:b: board b (127.0.0.1:${port}) closed the connection (returned before that: the run's start, 0 output range(s))`);
      expect(results.filter((r) => r.board === 'fpga:a').map((r) => r.result.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
      expect(pool.boards).toEqual(['fpga:a']);
    } finally {
      await pool.close();
    }
  });

  it('a run that must wait when a board comes free gives the board to the next run, then runs', async () => {
    const a = await board('a', 2000);
    const pool = new BoardPool([threadRunner(a.target)]);
    try {
      const [first, second] = bundles(2);
      const order: string[] = [];
      let openGate!: () => void;
      const gate = new Promise<void>((r) => (openGate = r));
      let asked = 0;
      const waiting = pool.run(() => (asked++ === 0 ? { after: gate } : { job: { bundle: first! } })).then((r) => (order.push('waiting'), r));
      const next = pool.run({ bundle: second! }).then((r) => (order.push('next'), openGate(), r));
      const [w, n] = await Promise.all([waiting, next]);
      expect(order).toEqual(['next', 'waiting']);
      expect(asked).toBe(2);
      expect([w.result.status, n.result.status, w.board]).toEqual(['ok', 'ok', 'fpga:a']);
    } finally {
      await pool.close();
    }
  });

  it('fails waiting runs, naming the lost boards, when none is left', async () => {
    const b = await board('b', 1e12);
    const pool = new BoardPool([threadRunner(b.target)]);
    try {
      const pending = bundles(2).map((bundle) => pool.run({ bundle }));
      await running(b.fake);
      await b.agent.close();
      const [first, second] = await Promise.all(pending);
      expect(first!.result.status).toBe('crash');
      expect(second).toEqual({ board: '', result: expect.objectContaining({ status: 'crash', message: 'no board left in the pool (lost: fpga:b)' }) });
    } finally {
      await pool.close();
    }
  });
});
