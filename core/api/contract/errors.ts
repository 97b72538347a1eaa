/** Stable error codes every transport carries unchanged. */
export type ApiErrorCode =
  | 'bad-input' // the input failed its schema
  | 'unknown-method'
  | 'not-found' // a file, node or lab that does not exist
  | 'forbidden' // outside the served folder, wrong origin
  | 'conflict' // e.g. the lab is already running
  | 'failed'; // the operation ran and failed; `message` says why

/** One schema problem, with its JSON path. */
export interface ApiIssue {
  path: string;
  message: string;
}

/**
 * The design refused the flow a lab call was to send (its first leg, as the lab's gate
 * traces it): who could not reach whom, the node to fix (a route table, gateway, subnet,
 * the node whose security groups refuse, an ACL), trace's block code and reason. Nothing
 * was sent. The same fields as `lab.request`'s `blocked`, for calls that fail instead.
 */
export interface ApiRefusal {
  from: string;
  to: string;
  blockedBy: string;
  code: string;
  reason: string;
}

/** The error shape of every method on every transport. */
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  issues?: ApiIssue[];
  /** Set when the design refused the flow (a `lab.load` whose first leg it blocks). */
  refusal?: ApiRefusal;
}

/** An error raised by a method (or by a transport on its behalf). */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly issues?: ApiIssue[],
    readonly refusal?: ApiRefusal,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}), ...(this.refusal ? { refusal: this.refusal } : {}) };
  }

  static fromBody(body: ApiErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.issues, body.refusal);
  }
}
