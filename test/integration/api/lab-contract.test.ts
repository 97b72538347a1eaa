// The live lab's answers and events on every transport match the contract's schemas
// exactly (core/api/contract/lab-results.ts): the runtime implements the shapes the contract
// declares, and nothing is added or lost on the way (parsing strips unknown keys, so a
// parsed answer must equal the raw one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  LabLogEventSchema,
  LabMetricsEventSchema,
  LabStartResultSchema,
  LabStatusEventSchema,
  LabStatusSchema,
  LoadResultSchema,
  ScenarioRunResultSchema,
  SingleRequestResultSchema,
} from '../../../core/api/contract/index.js';
import type { Topology } from '../../../core/model/index.js';
import { fixture } from '../lab/helpers.js';
import { waitUntil } from '../../support/wait.js';
import { TRANSPORTS, type OpenTransport } from './harness.js';

/** The value, checked against the schema and compared with what the schema keeps of it. */
function conforms<S extends z.ZodType>(schema: S, value: unknown): void {
  const parsed = schema.safeParse(value);
  expect(parsed.error?.issues ?? []).toEqual([]);
  expect(parsed.data).toEqual(value);
}

const design: Topology = {
  ...fixture('balancers'),
  scenarios: [{ name: 'quick', traffic: { from: 'user', to: 'lb', durationSeconds: 0.5, rps: 20 }, events: [], assertions: [{ type: 'success-rate', min: 0.5 }] }],
};

describe.each(TRANSPORTS)('the lab over $name answers in the contract\'s shapes', (transport) => {
  let open: OpenTransport;
  const events = { status: [] as unknown[], metrics: [] as unknown[], log: [] as unknown[] };
  beforeAll(async () => {
    open = await transport.open({});
    open.client.subscribe('lab.status', (event) => events.status.push(event));
    open.client.subscribe('lab.metrics', (event) => events.metrics.push(event));
    open.client.subscribe('lab.log', (event) => events.log.push(event));
  });
  afterAll(() => open.close());

  it('start, status, request, load, scenario and the events', async () => {
    conforms(LabStatusSchema, await open.client.call('lab.status', {}));
    conforms(LabStartResultSchema, await open.client.call('lab.start', { topology: design }));
    conforms(LabStatusSchema, await open.client.call('lab.status', {}));
    conforms(SingleRequestResultSchema, await open.client.call('lab.request', { from: 'user', to: 'lb', path: '/' }));
    conforms(LoadResultSchema, await open.client.call('lab.load', { from: 'user', to: 'lb', requests: 20, concurrency: 2 }));
    conforms(ScenarioRunResultSchema, await open.client.call('lab.scenario', { name: 'quick' }));
    await waitUntil(() => events.metrics.length > 0 && events.log.length > 0 && events.status.length > 0, 'lab events');
    for (const event of events.status) conforms(LabStatusEventSchema, event);
    for (const event of events.metrics) conforms(LabMetricsEventSchema, event);
    for (const event of events.log) conforms(LabLogEventSchema, event);
    expect(await open.client.call('lab.stop', {})).toEqual({ stopped: true });
  });
});
