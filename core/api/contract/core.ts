import { z } from 'zod';
import type { CidrInfoResult } from '../../cidr/info.js';
import type { PlanResult } from '../../cidr/plan.js';
import type { LoadResult } from '../../model/load.js';
import { MigratingTopologySchema } from '../../model/input.js';
import { ProviderSchema } from '../../model/schema.js';
import type { Diagnostic } from '../../validate/diagnostic.js';
import { defineMethod } from './define.js';

/** The largest topology text accepted over any transport (a 100,000-subnet plan is ~15 MB). */
export const MAX_TOPOLOGY_TEXT = 64 * 1024 * 1024;

/**
 * A topology as an input: migrated from an older version (a newer one is refused), then
 * shape-checked; references are checked by `validate`.
 */
export const TopologyInput = MigratingTopologySchema;

const CidrText = z.string().min(1, 'give a CIDR such as 10.0.0.0/16').max(64, 'a CIDR is at most 64 characters');

/** The pure engine: parsing, validation, CIDR math. No I/O. */
export const coreMethods = {
  'topology.parse': defineMethod<LoadResult>()(
    z.strictObject({ text: z.string().max(MAX_TOPOLOGY_TEXT) }),
    'Parse and schema-check the text of a *.topolab.json file.',
  ),
  validate: defineMethod<{ diagnostics: Diagnostic[] }>()(
    z.strictObject({ topology: TopologyInput }),
    'Every problem of a topology: address plan, containment, routing.',
  ),
  'cidr.info': defineMethod<CidrInfoResult>()(
    z.strictObject({ cidr: CidrText, provider: ProviderSchema.optional() }),
    'Range, size, usable hosts, class and address space of a CIDR.',
  ),
  'cidr.plan': defineMethod<PlanResult>()(
    z.strictObject({
      vpcCidr: CidrText,
      requests: z
        .array(
          z.strictObject({
            prefix: z.number().int().min(0).max(128).optional(),
            hosts: z.number().int().min(1).optional(),
            zone: z.string().max(64).optional(),
          }),
        )
        .min(1)
        .max(4096),
      zones: z.array(z.string().max(64)).max(64).optional(),
      existing: z.array(CidrText).max(100_000).optional(),
      provider: ProviderSchema.optional(),
    }),
    'Allocate subnets of the requested sizes inside a VPC (largest first, aligned, no overlap).',
  ),
  'cidr.nextFree': defineMethod<{ cidr: string } | { error: string }>()(
    z.strictObject({
      within: CidrText,
      existing: z.array(CidrText).max(100_000),
      prefix: z.number().int().min(0).max(128),
    }),
    'The lowest free aligned block of a size inside a CIDR.',
  ),
};
