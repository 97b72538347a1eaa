/**
 * Bounds of one `lab.load` run, shared by the contract and the CLI flags that feed it. A
 * module of plain constants, so the CLI can define its flags without loading the schemas.
 */
export const LOAD_LIMITS = { requests: 10_000_000, durationSeconds: 3600, concurrency: 2000, rps: 100_000, sources: 65_536 } as const;
