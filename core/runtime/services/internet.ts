import type { IncomingMessage, ServerResponse } from 'node:http';

/** The `x-served-by` of every answer the internet stand-in gives. */
export const INTERNET_NODE = 'internet';

/** The response header naming the destination the stand-in answered for (`host:port`). */
export const INTERNET_HEADER = 'x-topolab-internet';

/** The JSON body of a stand-in answer. */
export interface InternetAnswer {
  node: typeof INTERNET_NODE;
  destination: string;
  method: string;
  path: string;
  message: string;
}

/**
 * Answers a request for a destination outside the design in place of the real host: the
 * lab never opens a connection outside the design, yet an allowed destination still gets
 * an answer (200, `x-served-by: internet`, `x-topolab-internet: host:port`, a JSON body
 * naming it), so allow and deny stay testable. A body is read and dropped.
 */
export function answerAsInternet(req: IncomingMessage, res: ServerResponse, destination: string, path: string, via?: string): void {
  const respond = (): void => {
    if (res.destroyed || res.writableEnded) return;
    const body: InternetAnswer = {
      node: INTERNET_NODE,
      destination,
      method: req.method ?? 'GET',
      path,
      message: `answered by the lab in place of ${destination}, which is outside the design: the lab never connects outside it`,
    };
    const text = JSON.stringify(body) + '\n';
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-served-by': INTERNET_NODE,
      [INTERNET_HEADER]: destination,
      ...(via !== undefined ? { via } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : text);
  };
  if (req.complete) respond();
  else {
    req.on('data', () => undefined);
    req.once('end', respond);
  }
}
