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

/** The error shape of every method on every transport. */
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  issues?: ApiIssue[];
}

/** An error raised by a method (or by a transport on its behalf). */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly issues?: ApiIssue[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ApiErrorBody {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }

  static fromBody(body: ApiErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.issues);
  }
}
