#!/usr/bin/env node
// Thin launcher for the compiled CLI (npm run build produces dist/).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('vta-trace: not built yet; run `npm run build` in ' + root + '\n');
  process.exit(2);
}
// `vta-trace workloads | head`: the reader went away; stop quietly, as other command-line tools do.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { main } = await import(entry);
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`vta-trace: internal error: ${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 2;
}
