/**
 * BENCH TOOL ONLY, not product code: llhttp (the HTTP/1.1 parser Node itself uses, fuzzed
 * in OSS-Fuzz) through undici's WebAssembly build, for the floor benchmark's prototype
 * forwarder (./raw-forwarder.ts). Instantiated the way undici's
 * lib/dispatcher/client-h1.js does it: one module instance shared by every parser, the
 * `wasm_on_*` imports dispatched to the parser that is executing, each chunk copied into
 * one malloc'd buffer inside the module's memory. Unlike undici it also allocates parsers
 * in request mode (`TYPE.REQUEST`), which the same build supports (one llhttp build
 * parses both; `llhttp_get_method` gives the method).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const constants = require('undici/lib/llhttp/constants.js') as {
  TYPE: { REQUEST: number; RESPONSE: number };
  ERROR: Record<string, number> & { OK: number; PAUSED: number; PAUSED_UPGRADE: number };
  METHODS: Record<string, number>;
};

export const TYPE = constants.TYPE;
export const ERROR = constants.ERROR;
/** Method number (llhttp_get_method) -> name. */
export const METHOD_NAMES: string[] = [];
for (const [name, n] of Object.entries(constants.METHODS)) METHOD_NAMES[n] = name;

interface LlhttpExports {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(ptr: number): void;
  llhttp_alloc(type: number): number;
  llhttp_free(ptr: number): void;
  llhttp_execute(ptr: number, data: number, len: number): number;
  llhttp_resume(ptr: number): void;
  llhttp_get_error_pos(ptr: number): number;
  llhttp_get_errno(ptr: number): number;
  llhttp_get_error_reason(ptr: number): number;
  llhttp_get_method(ptr: number): number;
  llhttp_get_http_major(ptr: number): number;
  llhttp_get_http_minor(ptr: number): number;
  llhttp_should_keep_alive(ptr: number): number;
}

/**
 * What a parser calls back. Ranges are [start, end) into `chunk` (the Buffer being
 * executed); a return value other than 0 is llhttp's: `ERROR.PAUSED` pauses the parser,
 * 1 from `onHeadersComplete` skips the body (a response to HEAD).
 */
export interface ParserCallbacks {
  onMessageBegin(): number;
  onUrl(chunk: Buffer, start: number, end: number): number;
  onStatus(chunk: Buffer, start: number, end: number): number;
  onHeaderField(chunk: Buffer, start: number, end: number): number;
  onHeaderValue(chunk: Buffer, start: number, end: number): number;
  onHeadersComplete(statusCode: number): number;
  onBody(chunk: Buffer, start: number, end: number): number;
  onMessageComplete(): number;
}

let current: HttpParser | null = null;
let currentChunk: Buffer | null = null;
let bufferPtr = 0;
let bufferSize = 0;

function loadModule(): WebAssembly.Module {
  try {
    return new WebAssembly.Module(require('undici/lib/llhttp/llhttp_simd-wasm.js') as Uint8Array<ArrayBuffer>);
  } catch {
    return new WebAssembly.Module(require('undici/lib/llhttp/llhttp-wasm.js') as Uint8Array<ArrayBuffer>);
  }
}

const on = (fn: (p: HttpParser, chunk: Buffer, start: number, end: number) => number) => (_p: number, at: number, len: number): number => {
  const start = at - bufferPtr;
  return fn(current as HttpParser, currentChunk as Buffer, start, start + len);
};

const instance = new WebAssembly.Instance(loadModule(), {
  env: {
    wasm_on_message_begin: () => (current as HttpParser).callbacks.onMessageBegin(),
    wasm_on_url: on((p, c, s, e) => p.callbacks.onUrl(c, s, e)),
    wasm_on_status: on((p, c, s, e) => p.callbacks.onStatus(c, s, e)),
    wasm_on_header_field: on((p, c, s, e) => p.callbacks.onHeaderField(c, s, e)),
    wasm_on_header_value: on((p, c, s, e) => p.callbacks.onHeaderValue(c, s, e)),
    wasm_on_headers_complete: (_p: number, statusCode: number) => (current as HttpParser).callbacks.onHeadersComplete(statusCode),
    wasm_on_body: on((p, c, s, e) => p.callbacks.onBody(c, s, e)),
    wasm_on_message_complete: () => (current as HttpParser).callbacks.onMessageComplete(),
  },
});
const llhttp = instance.exports as unknown as LlhttpExports;
let view = new Uint8Array(llhttp.memory.buffer);

/** One llhttp parser (request or response mode) in the shared WebAssembly instance. */
export class HttpParser {
  ptr: number;

  constructor(
    type: number,
    readonly callbacks: ParserCallbacks,
  ) {
    this.ptr = llhttp.llhttp_alloc(type);
  }

  /**
   * Parses `chunk`; returns `ERROR.OK`, or `ERROR.PAUSED` with the unparsed rest in
   * `rest` (a callback paused), or another error number (see `errorReason`).
   */
  execute(chunk: Buffer): number {
    if (chunk.length > bufferSize) {
      if (bufferPtr !== 0) llhttp.free(bufferPtr);
      bufferSize = Math.ceil(chunk.length / 4096) * 4096;
      bufferPtr = llhttp.malloc(bufferSize);
    }
    if (view.buffer !== llhttp.memory.buffer) view = new Uint8Array(llhttp.memory.buffer);
    view.set(chunk, bufferPtr);
    // The wasm_on_* imports find the executing parser here (as undici's client-h1.js does).
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    current = this;
    currentChunk = chunk;
    let ret: number;
    try {
      ret = llhttp.llhttp_execute(this.ptr, bufferPtr, chunk.length);
    } finally {
      current = null;
      currentChunk = null;
    }
    if (ret === ERROR.PAUSED) this.rest = chunk.subarray(llhttp.llhttp_get_error_pos(this.ptr) - bufferPtr);
    return ret;
  }

  /** What a paused parser has not parsed yet of the chunk it paused in. */
  rest: Buffer | null = null;

  resume(): void {
    llhttp.llhttp_resume(this.ptr);
  }

  method(): string {
    return METHOD_NAMES[llhttp.llhttp_get_method(this.ptr)] ?? 'GET';
  }

  httpMinor(): number {
    return llhttp.llhttp_get_http_minor(this.ptr);
  }

  shouldKeepAlive(): boolean {
    return llhttp.llhttp_should_keep_alive(this.ptr) === 1;
  }

  errorReason(): string {
    const p = llhttp.llhttp_get_error_reason(this.ptr);
    if (p === 0) return '';
    const bytes = new Uint8Array(llhttp.memory.buffer, p);
    return Buffer.from(bytes.subarray(0, bytes.indexOf(0))).toString('latin1');
  }

  destroy(): void {
    if (this.ptr !== 0) llhttp.llhttp_free(this.ptr);
    this.ptr = 0;
  }
}
