import type { TopolabService } from '../service.js';
import { createBridge, type TopolabBridge } from './bridge.js';
import type { ServerEventFrame } from './frames.js';
import { createIpcSubscriptions, handleIpcCall } from './ipc.js';

/** An in-memory IPC link for tests: the bridge a preload would expose, and a way to close the "window". */
export interface MemoryIpc {
  bridge: TopolabBridge;
  close(): void;
}

/**
 * Simulates Electron IPC between one window and the main process: every frame is copied
 * with `structuredClone` (as Electron's serialisation does) and delivered on a later tick,
 * in order, through the same `handleIpcCall` and subscription code the real main uses.
 */
export function createMemoryIpc(service: TopolabService): MemoryIpc {
  const toRenderer: ((frame: ServerEventFrame) => void)[] = [];
  let open = true;
  const deliver = (frame: ServerEventFrame): void => {
    const copy = structuredClone(frame);
    setImmediate(() => {
      if (open) for (const listener of toRenderer) listener(copy);
    });
  };
  const subscriptions = createIpcSubscriptions(service, deliver);
  // Frames towards main are dispatched in order (setImmediate is FIFO), like the single IPC
  // pipe of a window; handlers then run concurrently, as ipcMain's do.
  const toMain = <T>(work: () => Promise<T> | T): Promise<T> =>
    new Promise<T>((resolve, reject) =>
      setImmediate(() => {
        try {
          Promise.resolve(work()).then(resolve, reject);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
  const bridge = createBridge({
    invoke: (method, input) => {
      const [m, i] = structuredClone([method, input]);
      return toMain(() => handleIpcCall(service, m, i)).then((reply) => structuredClone(reply));
    },
    post: (frame) => {
      const copy = structuredClone(frame);
      void toMain(() => subscriptions.handle(copy));
    },
    onFrame: (listener) => toRenderer.push(listener),
  });
  return {
    bridge,
    close: () => {
      open = false;
      subscriptions.close();
    },
  };
}
