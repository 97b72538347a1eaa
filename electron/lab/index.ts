/**
 * Entry of a window's lab utility process: the core service, served over the MessagePort
 * the main process sends first. The live lab's sockets and traffic run here, so heavy
 * load never blocks the window or the main process.
 */
import { createService } from '../../core/api/index.js';
import { serveOverPort, type PortLike } from './protocol.js';

/** The first message from the main process: the service's options, with the port. */
interface InitMessage {
  filesRoot?: string;
  backupsRoot?: string;
}

const parentPort = process.parentPort;
if (!parentPort) {
  console.error('topolab lab: this entry runs only as an Electron utility process');
  process.exit(2);
}

parentPort.once('message', (event) => {
  const [port] = event.ports;
  if (!port) {
    console.error('topolab lab: the first message carried no MessagePort');
    process.exit(2);
  }
  const init = (event.data ?? {}) as InitMessage;
  const service = createService({
    ...(typeof init.filesRoot === 'string' ? { filesRoot: init.filesRoot } : {}),
    ...(typeof init.backupsRoot === 'string' ? { backupsRoot: init.backupsRoot } : {}),
  });
  const adapted: PortLike = {
    postMessage: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', (message) => listener(message.data)),
    close: () => port.close(),
  };
  serveOverPort(service, adapted, () => process.exit(0));
  port.start();
});
