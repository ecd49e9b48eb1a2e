/** Where dst_idx, src_idx and wgt_idx sit in a 32-bit micro-op, as shifts and masks. */
import type { VtaParams } from '../../runtime/config/config.js';
import { layoutOf } from '../../runtime/isa/layout.js';

export interface UopFields {
  dstShift: number;
  dstMask: number;
  srcShift: number;
  srcMask: number;
  wgtShift: number;
  wgtMask: number;
}

const uopCache = new WeakMap<VtaParams, UopFields>();

export function uopFields(p: VtaParams): UopFields {
  let f = uopCache.get(p);
  if (!f) {
    const l = layoutOf(p).UOP;
    const d = l.get('dst_idx')!;
    const s = l.get('src_idx')!;
    const w = l.get('wgt_idx')!;
    f = {
      dstShift: d.lsb,
      dstMask: 2 ** d.width - 1,
      srcShift: s.lsb,
      srcMask: 2 ** s.width - 1,
      wgtShift: w.lsb,
      wgtMask: 2 ** w.width - 1,
    };
    uopCache.set(p, f);
  }
  return f;
}
