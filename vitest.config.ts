import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{runtime,targets,tracer,regression,cli,ci,fuzz}/**/*.test.ts'],
    // Worker-pool and Verilator tests spawn processes; keep the suite's own parallelism modest
    // on 2-core machines and give slow integration tests room.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
