/**
 * One lab process per document window: an Electron utility process running the core
 * service (electron/lab/index.ts), started on the window's first API call and stopped with
 * the window or on quit. Electron is injected so the logic is tested without it.
 */
import { parseClientEventFrame, type CallReply, type ServerEventFrame } from '../../core/api/transports/frames.js';
import { LabPortClient, type PortLike } from '../lab/protocol.js';

/** The slice of a forked utility process the host uses. */
export interface LabChild<Port> {
  readonly pid: number | undefined;
  postMessage(message: unknown, transfer: Port[]): void;
  once(event: 'exit', listener: (code: number) => void): void;
  kill(): boolean;
}

/** How to start the process and make the port pair (Electron's in the app, fakes in tests). */
export interface LabSpawner<Port> {
  fork(): LabChild<Port>;
  /** A connected pair: `local` stays here, `remote` is transferred to the child. */
  channel(): { local: PortLike; remote: Port };
}

/** How long a lab may take to stop its services before its process is killed. */
export const LAB_STOP_TIMEOUT_MS = 5000;

/** The main side of one window's lab process. */
export class LabHost<Port = unknown> {
  private client: LabPortClient | undefined;
  private child: LabChild<Port> | undefined;
  private exited: Promise<void> | undefined;
  /** Events the page subscribed to, replayed if the lab process has to be restarted. */
  private readonly subscribed = new Set<string>();

  constructor(
    private readonly spawner: LabSpawner<Port>,
    private readonly options: { filesRoot?: string; backupsRoot?: string },
    private readonly onFrame: (frame: ServerEventFrame) => void,
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** The process id while running (tests and diagnostics). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Calls a core method in the lab process, starting it if needed. */
  call(method: string, input: unknown): Promise<CallReply> {
    return this.ensure().call(method, input);
  }

  /**
   * Hands a subscription frame to the lab process, starting it if needed (a subscription
   * made before the first call must not be lost).
   */
  frame(frame: unknown): void {
    const parsed = parseClientEventFrame(frame);
    if (typeof parsed !== 'string') {
      if ('subscribe' in parsed) this.subscribed.add(parsed.subscribe);
      else this.subscribed.delete(parsed.unsubscribe);
      // A new process gets every subscription replayed, this one included.
      if (!this.client) {
        this.ensure();
        return;
      }
    }
    this.ensure().frame(frame);
  }

  /**
   * Stops the lab: asks the service to close (which stops every socket and child it
   * started), then waits for the process to exit; kills it if either takes too long.
   */
  async stop(timeoutMs = LAB_STOP_TIMEOUT_MS): Promise<void> {
    const { client, child, exited } = this;
    if (!client || !child || !exited) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([client.close().then(() => exited), timedOut]);
      if (outcome === 'timeout') {
        this.log(`lab process ${child.pid} did not stop within ${timeoutMs} ms; killing it`);
        child.kill();
        await exited;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private ensure(): LabPortClient {
    if (this.client) return this.client;
    const child = this.spawner.fork();
    const { local, remote } = this.spawner.channel();
    const client = new LabPortClient(local, this.onFrame);
    this.child = child;
    this.client = client;
    for (const event of this.subscribed) client.frame({ subscribe: event });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        if (this.child === child) {
          this.child = undefined;
          this.client = undefined;
          this.exited = undefined;
        }
        client.end(`the lab process exited (code ${code})`);
        resolve();
      });
    });
    child.postMessage(this.options, [remote]);
    this.log(`lab process ${child.pid ?? '?'} started`);
    return client;
  }
}
