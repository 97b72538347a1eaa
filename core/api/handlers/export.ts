import { renderExport } from '../../export/index.js';
import type { Handlers, ServiceContext } from './types.js';

/** Handler of `export`: the pure renderer, options passed through. */
export function createExportHandlers(_context: ServiceContext): Pick<Handlers, 'export'> {
  return {
    export: ({ topology, format, options }) => renderExport(topology, format, options ?? {}),
  };
}
