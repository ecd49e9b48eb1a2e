/**
 * The build cache: a key that follows every input, one build for concurrent builders of the same
 * key, hits afterwards, nothing left behind; and the FST variant dumping only its cycle window.
 * Uses the tiny stand-in design (builds in seconds) in a private cache folder.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { buildKey, ensureBuilt, verilatorVersion } from './build.js';
import { userRtl } from './rtl-source.js';
import { createTsimTarget } from './target.js';
import { bundleOf, finishInsn, gemmInsn, RecordingSink } from './testing/bundles.js';
import { writeTinyRtl } from './testing/tiny-rtl.js';

const params = resolveConfig('default');
const work = mkdtempSync(join(tmpdir(), 'tsim-cache-'));
const rtl = writeTinyRtl(join(work, 'rtl'));
const savedCache = process.env.VTA_TRACE_CACHE;

beforeAll(() => {
  process.env.VTA_TRACE_CACHE = join(work, 'cache');
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  if (savedCache === undefined) delete process.env.VTA_TRACE_CACHE;
  else process.env.VTA_TRACE_CACHE = savedCache;
});

describe('tsim build cache', () => {
  it('keys on RTL, probe map, config and waveform flag', async () => {
    const v = await verilatorVersion();
    const spec = userRtl(rtl);
    const base = buildKey(spec, params, false, v);
    expect(buildKey(userRtl(rtl), params, false, v)).toBe(base); // deterministic
    expect(buildKey(spec, params, true, v)).not.toBe(base);
    expect(buildKey(spec, resolveConfig('small'), false, v)).not.toBe(base);
    expect(buildKey(spec, params, false, `${v} (other)`)).not.toBe(base);
    expect(buildKey({ ...spec, files: [{ ...spec.files[0]!, content: `${spec.files[0]!.content}\n// edit` }] }, params, false, v)).not.toBe(base);
    const map = join(work, 'rtl', 'probes.json');
    const original = readFileSync(map, 'utf8');
    writeFileSync(map, original.replace('tiny harness test design', 'renamed'));
    try {
      expect(buildKey(userRtl(rtl), params, false, v)).not.toBe(base);
    } finally {
      writeFileSync(map, original);
    }
  });

  it('builds once for concurrent builders, then hits', async () => {
    const spec = userRtl(rtl);
    const [a, b] = await Promise.all([ensureBuilt(spec, params), ensureBuilt(spec, params)]);
    expect(a.dir).toBe(b.dir);
    expect([a.cached, b.cached].sort()).toEqual([false, true]);
    const c = await ensureBuilt(userRtl(rtl), params);
    expect(c.cached).toBe(true);
    expect(c.dir).toBe(a.dir);
    // Only the finished folder remains: no lock, no temporary build folder.
    expect(readdirSync(join(work, 'cache', 'tsim'))).toEqual([a.dir.split('/').pop()]);
    expect(existsSync(c.binary)).toBe(true);
  }, 300_000);

  it('the FST variant dumps the requested cycle window only', async () => {
    const file = join(work, 'window.fst');
    const target = createTsimTarget({ rtl, wave: { from: 10, to: 20, file } });
    try {
      const r = await target.run({ bundle: bundleOf(params, [gemmInsn(), finishInsn()]), sink: new RecordingSink(false) });
      expect(r.status).toBe('ok');
      expect(statSync(file).size).toBeGreaterThan(0);
      // The FST header block (type byte, u64 length) starts with the dumped time range: first
      // 2·10, last 2·20 − 1 (two dumps per cycle).
      const head = readFileSync(file).subarray(0, 64);
      expect(head.readBigUInt64BE(1 + 8)).toBe(20n);
      expect(head.readBigUInt64BE(1 + 8 + 8)).toBe(39n);
    } finally {
      await target.close();
    }
  }, 300_000);
});
