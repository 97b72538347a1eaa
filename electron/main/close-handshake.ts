/**
 * The close prompt's second half. The shell asks Save / Don't Save / Cancel itself (a
 * native dialog), but the page owns the design: it saves through `files.write` (asking for
 * a name in its own Save As dialog when the design has none) or drops its backup through
 * `files.discardBackup`. So the shell sends the answer to the page as the `app.close`
 * event and waits for the page's `app.closeReply`.
 */
import type { CloseRequest, ShellEventName } from '../../core/api/index.js';
import type { ServerEventFrame } from '../../core/api/transports/frames.js';

/** The contract's event that carries the close prompt's answer to the page. */
export const CLOSE_EVENT = 'app.close' satisfies ShellEventName;

/**
 * How long Don't Save waits for the page to drop its backup before the window closes
 * anyway (a hung page must not keep a window open). Save waits as long as the user takes
 * in the page's Save As dialog.
 */
export const DISCARD_REPLY_TIMEOUT_MS = 5000;

/** A window's page, as the handshake reaches it. */
export interface ClosingPage {
  /** Whether the page subscribed to `app.close` (an older or broken page never answers). */
  listens: boolean;
  send(frame: ServerEventFrame): void;
}

interface Pending {
  windowId: number;
  resolve(close: boolean): void;
}

/** Open close requests, by request id. */
export class CloseHandshake {
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly log: (message: string) => void = () => {},
    private readonly discardTimeoutMs = DISCARD_REPLY_TIMEOUT_MS,
  ) {}

  /** Sends the answer to the page; resolves true when the window may close. */
  ask(windowId: number, save: boolean, page: ClosingPage): Promise<boolean> {
    // A newer request for the same window replaces an unanswered one.
    for (const [id, entry] of this.pending) if (entry.windowId === windowId) this.settle(id, false);
    if (!page.listens) {
      if (save) this.log(`window ${windowId}: its page does not answer app.close, so it cannot save; the window stays open`);
      return Promise.resolve(!save);
    }
    const requestId = this.nextRequestId++;
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      if (!save) {
        timer = setTimeout(() => {
          this.log(`window ${windowId}: its page did not confirm Don't Save within ${this.discardTimeoutMs} ms; closing anyway`);
          this.settle(requestId, true);
        }, this.discardTimeoutMs);
        timer.unref();
      }
      this.pending.set(requestId, {
        windowId,
        resolve: (close) => {
          clearTimeout(timer);
          resolve(close);
        },
      });
      page.send({ event: CLOSE_EVENT, payload: { requestId, save } satisfies CloseRequest });
    });
  }

  /** The page's `app.closeReply`; a reply from another window, or to no open request, is ignored. */
  reply(windowId: number, requestId: number, close: boolean): void {
    const entry = this.pending.get(requestId);
    if (!entry || entry.windowId !== windowId) {
      this.log(`window ${windowId}: ignored app.closeReply to request ${requestId}, which it was not asked`);
      return;
    }
    this.settle(requestId, close);
  }

  /** The window went away: its open requests end (it is closed either way). */
  windowGone(windowId: number): void {
    for (const [id, entry] of this.pending) if (entry.windowId === windowId) this.settle(id, true);
  }

  private settle(requestId: number, close: boolean): void {
    const entry = this.pending.get(requestId);
    if (!entry) return;
    this.pending.delete(requestId);
    entry.resolve(close);
  }
}
