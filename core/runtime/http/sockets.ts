import type { Socket } from 'node:net';

/**
 * The open sockets of a listener: counted for the active-connections metric, summed for
 * wire bytes (closed sockets add to running totals, so nothing is counted on the hot path)
 * and destroyed on stop so nothing lingers.
 */
export class SocketRegistry {
  private readonly open = new Set<Socket>();
  private closedBytesRead = 0;
  private closedBytesWritten = 0;

  add(socket: Socket): void {
    // A socket handed back to the server (the far end of a CONNECT tunnel) is already counted.
    if (this.open.has(socket)) return;
    this.open.add(socket);
    socket.once('close', () => {
      this.open.delete(socket);
      this.closedBytesRead += socket.bytesRead;
      this.closedBytesWritten += socket.bytesWritten;
    });
  }

  get size(): number {
    return this.open.size;
  }

  /** Bytes read from clients, including the sockets still open. */
  bytesRead(): number {
    let total = this.closedBytesRead;
    for (const socket of this.open) total += socket.bytesRead;
    return total;
  }

  /** Bytes written to clients, including the sockets still open. */
  bytesWritten(): number {
    let total = this.closedBytesWritten;
    for (const socket of this.open) total += socket.bytesWritten;
    return total;
  }

  destroyAll(): void {
    for (const socket of this.open) socket.destroy();
  }
}
