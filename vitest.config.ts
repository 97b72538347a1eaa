import { defineConfig } from 'vitest/config';

/**
 * Integration files that run two at a time, in their own group before the serial files (see
 * "How the tests run" in README.md). Each was read for what could make two files at once
 * interfere: none uses network namespaces or the kernel lab, a fixed port, a shared path, or
 * global state, and none times anything or reads a response within a short window, so CPU
 * taken by the file beside it cannot fail it. Every other integration file runs alone.
 */
const PARALLEL_INTEGRATION = [
  'api/contract',
  'api/http-security',
  'api/lab-contract',
  'api/migrations',
  'api/serve',
  'api/shell-contract',
  'api/start',
  'cli/bundle',
  'cli/validate-big',
  'dns/stub',
  'electron/packaging',
  'export/apigateway-export',
  'export/contract',
  'export/dns-export',
  'export/kubectl',
  'export/manifests',
  'export/terraform',
  'files/atomic-crash',
  'import/round-trip',
  'lab/api',
  'lab/examples',
  'lab/filters',
  'lab/outside-lab',
  'lab/services',
  'lab/tls',
].map((name) => `test/integration/${name}.test.ts`);

const integration = {
  include: ['test/integration/**/*.test.ts'],
  environment: 'node' as const,
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Both cores: unit files use no fixed port and time nothing. Group 0 runs first, alone.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...integration,
          name: 'integration-parallel',
          include: PARALLEL_INTEGRATION,
          // Two files at a time, after the unit group and before the serial files: groups never overlap.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          ...integration,
          name: 'integration',
          exclude: PARALLEL_INTEGRATION,
          // Real sockets, real nginx/HAProxy, kernel labs and timing: one file at a time, alone,
          // in the last group (2), after every other group.
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
          // All files in one worker process, one after another, sharing its module cache: this
          // saves the ~2 s import per file that a fresh process per file costs. See "How the
          // tests run" in README.md for what was checked to make this safe.
          isolate: false,
        },
      },
    ],
  },
});
