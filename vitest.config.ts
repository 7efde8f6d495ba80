import { defineConfig } from 'vitest/config';

// Workspace packages expose a `source` export condition pointing at their TypeScript, so tests
// run against the code as written; the built `dist/` is what the spawned processes run.
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  // NestJS relies on TypeScript's legacy decorators and their design-time type metadata.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            '{contracts,server,edge-agent,hardware-sim,migrations,desktop-kit,seller-portal,customs-console}/src/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{server,edge-agent,hardware-sim}/test/**/*.test.ts', 'test/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Integration tests start real processes, databases and brokers: one file at a time
          // keeps a 2-core machine from timing them out.
          fileParallelism: false,
        },
      },
    ],
  },
});
