/**
 * Named, parameterised bugs that fsim can carry, so the divergence engine can be demonstrated and
 * tested before any RTL exists. Written `kind:key=value,…`, e.g. `alu-op:pc=12,op=2`.
 *
 *   alu-op:pc=K,op=N        ALU instruction K executes opcode N instead of its own
 *   gemm-lane:pc=K,lane=L   every ACC row written by GEMM K has bit 0 of lane L flipped
 *   wgt-row:pc=K,row=R      the R-th WGT element written by LOAD K (0 = first) gets lane 0 inverted
 *   pad-off-by-one:pc=K     LOAD K writes its padding one element later than it should
 *   drop-token:pc=K         instruction K performs none of its pushes (a later pop starves)
 *
 * One recognisable corruption each, for the report's hints (row-faults.ts):
 *   acc-offset:pc=K,by=N    every ACC row written by GEMM/ALU K gets +N in every lane
 *   acc-negate:pc=K         … every lane negated
 *   acc-truncate:pc=K,bits=B … every lane keeps its low B bits, sign-extended
 *   acc-shift:pc=K,by=N     … every lane shifted right (arithmetic) by N
 *   acc-rotate:pc=K,by=N    … lane l holds lane l−N (mod the lane count)
 *   acc-stale:pc=K          … keeps its value from before K (the write is lost)
 *   acc-scramble:pc=K,seed=S … every lane replaced by a pseudo-random value (no pattern)
 *   load-offset:pc=K,by=N   LOAD K's element e holds the element meant for e+N (wrapping within the LOAD)
 *   load-row:pc=K,by=N      each data row y of LOAD K reads DRAM row y+N of its pattern (N x_strides late;
 *                           by=1 is the load-next-row RTL variant): the DRAM reads themselves are wrong
 *
 * `diff` and `run` refuse a fault that cannot fire in the program (fault-reach.ts); `regress`
 * applies one fault to every program of a suite, so there it fires where it can and the other
 * programs run clean.
 */
import { VtaUserError } from '../../runtime/errors.js';
import { didYouMean } from '../../runtime/suggest.js';

export type Fault =
  | { kind: 'alu-op'; pc: number; op: number }
  | { kind: 'gemm-lane'; pc: number; lane: number }
  | { kind: 'wgt-row'; pc: number; row: number }
  | { kind: 'pad-off-by-one'; pc: number }
  | { kind: 'drop-token'; pc: number }
  | { kind: 'acc-offset'; pc: number; by: number }
  | { kind: 'acc-negate'; pc: number }
  | { kind: 'acc-truncate'; pc: number; bits: number }
  | { kind: 'acc-shift'; pc: number; by: number }
  | { kind: 'acc-rotate'; pc: number; by: number }
  | { kind: 'acc-stale'; pc: number }
  | { kind: 'acc-scramble'; pc: number; seed: number }
  | { kind: 'load-offset'; pc: number; by: number }
  | { kind: 'load-row'; pc: number; by: number };

export class FaultSpecError extends VtaUserError {
  override name = 'FaultSpecError';
}

const PARAMS: Record<Fault['kind'], string[]> = {
  'alu-op': ['pc', 'op'],
  'gemm-lane': ['pc', 'lane'],
  'wgt-row': ['pc', 'row'],
  'pad-off-by-one': ['pc'],
  'drop-token': ['pc'],
  'acc-offset': ['pc', 'by'],
  'acc-negate': ['pc'],
  'acc-truncate': ['pc', 'bits'],
  'acc-shift': ['pc', 'by'],
  'acc-rotate': ['pc', 'by'],
  'acc-stale': ['pc'],
  'acc-scramble': ['pc', 'seed'],
  'load-offset': ['pc', 'by'],
  'load-row': ['pc', 'by'],
};

const FAULT_KINDS = Object.keys(PARAMS) as Fault['kind'][];

/** How each fault is written, for help and error messages: `gemm-lane:pc=N,lane=N`, … */
export const FAULT_FORMS: readonly string[] = FAULT_KINDS.map((k) => `${k}:${PARAMS[k].map((p) => `${p}=N`).join(',')}`);

export function parseFault(text: string): Fault {
  const [kind, rest = ''] = text.split(':', 2) as [string, string?];
  const wanted = PARAMS[kind as Fault['kind']];
  if (!wanted) throw new FaultSpecError(`unknown fault "${kind}"${didYouMean(kind, Object.keys(PARAMS))}; known: ${FAULT_FORMS.join(', ')}`);
  const values: Record<string, number> = {};
  for (const part of rest.split(',').filter(Boolean)) {
    const m = /^([a-z]+)=(\d+)$/.exec(part);
    if (!m) throw new FaultSpecError(`fault ${kind}: "${part}" is not key=number`);
    if (!wanted.includes(m[1]!)) throw new FaultSpecError(`fault ${kind}: unknown parameter "${m[1]}" (takes ${wanted.join(', ')})`);
    values[m[1]!] = Number(m[2]);
  }
  for (const k of wanted) if (values[k] === undefined) throw new FaultSpecError(`fault ${kind}: missing parameter ${k}=N`);
  return { kind, ...values } as Fault;
}

export function faultText(f: Fault): string {
  const { kind, ...params } = f;
  return `${kind}:${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(',')}`;
}
