import { z } from 'zod';
import { EXPORT_FORMATS, type ExportResult } from '../../export/report.js';
import { IdSchema } from '../../model/schema.js';
import { TopologyInput } from './core.js';
import { defineMethod } from './define.js';

/** A path or value with no control characters: it is written into config files. */
// eslint-disable-next-line no-control-regex
const PlainText = z.string().min(1).max(4096).regex(/^[^\u0000-\u001f\u007f]+$/, 'no control characters');
const Endpoint = z.string().max(300).regex(/^(?:[0-9.]+|\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'host:port');

/** Options of an export; see core/export/options.ts. */
export const ExportOptionsInput = z.strictObject({
  /** Designed `ip:port` -> `host:port` (e.g. the live lab's loopback ports). */
  addressMap: z.record(Endpoint, Endpoint).optional(),
  /** A folder nginx may write pid, logs, temp and cache files to (running it as a user). */
  runDir: PlainText.optional(),
  /** Dynamic nginx modules to load first (default: Debian's stream module when there is a layer-4 balancer; [] for none). */
  nginxModules: z.array(PlainText).max(16).optional(),
  /**
   * Where the config listens: the designed addresses (default), or 127.0.0.1 in front of a
   * running lab (`ports` by node id, else the next free one from 8080; upstreams from `addressMap`).
   */
  listen: z
    .discriminatedUnion('mode', [
      z.strictObject({ mode: z.literal('designed') }),
      z.strictObject({ mode: z.literal('loopback'), ports: z.record(IdSchema, z.number().int().min(1).max(65535)).optional() }),
    ])
    .optional(),
});

/** The export method: pure rendering, no I/O (writing files is the caller's business). */
export const exportMethods = {
  export: defineMethod<ExportResult>()(
    z.strictObject({ topology: TopologyInput, format: z.enum(EXPORT_FORMATS), options: ExportOptionsInput.optional() }),
    'Render the design for nginx, HAProxy, Terraform (AWS), Compose, Kubernetes, draw.io or BIND zone files: files plus a report of what was expressed, approximated or not expressible (each line with what to do), and the design\'s errors when it has any.',
  ),
};
