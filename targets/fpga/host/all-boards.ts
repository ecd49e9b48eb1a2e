/**
 * `fpga:*`: every board of the boards file. `regress` spreads a suite's fpga runs over them (one
 * worker per board, regression/pools/board-pool-runs.ts); anything that needs one target — `diff`,
 * a divergence re-run — gets the first board, in file order, that answers the handshake, named
 * after that board (`fpga:<board>`), so the stored run says which board ran it.
 */
import { BoardsConfigError } from '../errors.js';
import { boardEndpoint, boardsFile, loadBoards } from './boards-config.js';
import { FpgaTarget } from './fpga-target.js';

export const ALL_BOARDS = 'fpga:*';

export function isAllBoards(target: string): boolean {
  return target === ALL_BOARDS;
}

/** The first reachable board of the boards file, connected; a user error naming each board's failure if none is. */
export async function firstReachableBoard(file = boardsFile()): Promise<FpgaTarget> {
  const boards = loadBoards(file);
  if (boards.length === 0) throw new BoardsConfigError(`${ALL_BOARDS}: boards file ${file} lists no board`);
  const failures: string[] = [];
  for (const b of boards) {
    const target = new FpgaTarget({ name: `fpga:${b.name}`, endpoint: boardEndpoint(b.name, file) });
    try {
      await target.connect();
      return target;
    } catch (e) {
      failures.push((e as Error).message);
      await target.close().catch(() => {});
    }
  }
  throw new BoardsConfigError(`${ALL_BOARDS}: no board of ${file} answered: ${failures.join('; ')}`);
}
