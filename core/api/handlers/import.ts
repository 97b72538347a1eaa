import { ImportInputError, importAws, importTerraform } from '../../import/index.js';
import { formatPath } from '../../model/load.js';
import { ApiError } from '../contract/errors.js';
import type { Handlers, ServiceContext } from './types.js';

/** Handler of `import`: the pure importer; a bad file is "bad-input" with its path. */
export function createImportHandlers(_context: ServiceContext): Pick<Handlers, 'import'> {
  return {
    import: ({ source, files }) => {
      if (source === 'terraform' && files.length !== 1) throw new ApiError('bad-input', `a Terraform import reads one file (the JSON of terraform show -json), got ${files.length}`);
      try {
        const built = source === 'aws' ? importAws(files) : importTerraform(files[0] as { name: string; text: string });
        return { topology: built.topology, nodes: built.topology.nodes.length, ignored: built.ignored, ports: built.ports };
      } catch (error) {
        if (error instanceof ImportInputError) throw new ApiError('bad-input', error.message, [{ path: `${error.file}${error.path.length > 0 ? `: ${formatPath(error.path)}` : ''}`, message: error.reason }]);
        throw error;
      }
    },
  };
}
