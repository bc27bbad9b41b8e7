import type { LambdaErrorDocument } from './lambda-error';

/** What a sandbox is started with (its worker's workerData). */
export interface SandboxSetup {
  /** The function's bundle, as the CDK builds it. */
  readonly bundle: string;
  readonly functionName: string;
  readonly functionArn: string;
}

/** One invocation, host to sandbox. The event travels as JSON, as Lambda receives it. */
export interface SandboxInvocation {
  readonly requestId: string;
  readonly event: string;
  /** Epoch milliseconds at which the invocation times out. */
  readonly deadline: number;
}

/** An invocation's outcome: the result as JSON, or the runtime's error document. */
export type SandboxAnswer =
  | { readonly payload: string }
  | {
      readonly error: LambdaErrorDocument;
      /** The sandbox cannot serve again (its init failed, or it is exiting). */
      readonly fatal?: true;
    };

/** The answer, sandbox to host. */
export type SandboxReply = { readonly requestId: string } & SandboxAnswer;
