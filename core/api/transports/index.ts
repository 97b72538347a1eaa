/** The transports of the service: HTTP + WebSocket (`topolab serve`), Electron IPC frames, and an in-memory IPC for tests. */
export { startHttpServer, CALL_PATH, EVENTS_PATH, type HttpServerOptions, type RunningHttpServer } from './http.js';
export { IPC_CHANNELS, createIpcSubscriptions, handleIpcCall } from './ipc.js';
export { createBridge, type BridgePort, type TopolabBridge } from './bridge.js';
export { createMemoryIpc, type MemoryIpc } from './memory-ipc.js';
export { parseClientEventFrame, type CallReply, type ClientEventFrame, type ServerEventFrame } from './frames.js';
export { SubscriptionSet } from './subscriptions.js';
export { MAX_BODY_BYTES } from './body.js';
export { HTTP_STATUS, httpStatusFor } from './status.js';
export { checkRequestSource, isOwnHost, isOwnOrigin } from './guard.js';
export { contentSecurityPolicy, mimeTypeFor, securityHeaders } from './static.js';
