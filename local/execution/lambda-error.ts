/**
 * What the Node.js Lambda runtime returns for a failed invocation. A Task whose Resource is the
 * function's ARN fails with `errorType` as its Error and this document, as JSON, as its Cause.
 */
export interface LambdaErrorDocument {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** An error as the runtime reports it: an Error by name, message and stack lines; anything else by type. */
export function lambdaErrorDocument(error: unknown): LambdaErrorDocument {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: error.stack?.split('\n') ?? [] };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/** The runtime's document when the function ran past its timeout and its sandbox was stopped. */
export function timedOutDocument(requestId: string, timeoutSeconds: number): LambdaErrorDocument {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  };
}

/** The runtime's document when the function's process ended mid-invocation. */
export function exitedDocument(requestId: string, exitCode: number): LambdaErrorDocument {
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${exitCode}`,
  };
}

/**
 * A failed invocation as the state machine runner sees it: the name is what Retry and Catch
 * match, the message the Cause (aws-local-stepfunctions takes a thrown error's name and message).
 */
export class LambdaFunctionError extends Error {
  constructor(readonly document: LambdaErrorDocument) {
    super(JSON.stringify(document));
    this.name = document.errorType;
  }
}
