/** A program error found while executing (bad index, undefined opcode…): the run ends as a crash. */
export class FsimFault extends Error {
  override name = 'FsimFault';
  constructor(
    readonly pc: number,
    readonly detail: string,
  ) {
    super(pc >= 0 ? `instruction #${pc}: ${detail}` : detail);
  }
}
