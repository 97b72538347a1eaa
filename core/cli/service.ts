import { ApiError, type MethodInput, type MethodName, type MethodOutput } from '../api/contract/index.js';
import { createService } from '../api/service.js';
import { EXIT } from './exit.js';
import { CliFailure } from './streams.js';

/**
 * Calls one method of the in-process service, the same one the desktop app and
 * `topolab serve` use. A refused input (bad-input, not-found) becomes a `CliFailure`
 * with exit code 2 and the service's own message.
 */
export async function callService<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const service = createService();
  try {
    return await service.call(method, input);
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'bad-input' || error.code === 'not-found')) throw new CliFailure(error.message, EXIT.unreadable);
    throw error;
  } finally {
    await service.close();
  }
}
