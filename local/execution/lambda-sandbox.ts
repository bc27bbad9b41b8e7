import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { EtlFunctionKey } from '../../contract/functions';
import { LambdaFunctionError, exitedDocument, lambdaErrorDocument, timedOutDocument } from './lambda-error';
import type { SandboxAnswer, SandboxInvocation, SandboxReply, SandboxSetup } from './sandbox-protocol';

/** A deployed function as the local runner runs it. */
export interface LocalFunction {
  readonly key: EtlFunctionKey;
  readonly name: string;
  readonly arn: string;
  /** Everything the function's process.env holds. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
}

/** One sandbox: a worker thread that loaded the function's bundle, serving one invocation at a time. */
class Sandbox {
  private readonly worker: Worker;
  private pending?: { readonly requestId: string; readonly settle: (answer: SandboxAnswer) => void };
  /** How a sandbox that ended with no invocation running (a warm one whose init crashed) answers. */
  private ended?: (requestId: string) => SandboxAnswer;

  constructor(runtime: string, fn: LocalFunction, bundle: string) {
    const setup: SandboxSetup = { bundle, functionName: fn.name, functionArn: fn.arn };
    this.worker = new Worker(runtime, {
      workerData: setup,
      // What the Lambda service sets in every sandbox, over the function's own variables.
      env: { ...fn.environment, AWS_LAMBDA_FUNCTION_NAME: fn.name, AWS_LAMBDA_FUNCTION_VERSION: '$LATEST' },
    });
    // An idle sandbox must not keep the process alive; an invocation's timer does while it runs.
    this.worker.unref();
    this.worker.on('message', (reply: SandboxReply) => {
      if (reply.requestId === this.pending?.requestId) this.settle(reply);
    });
    this.worker.on('error', (error) => {
      this.ended ??= () => ({ error: lambdaErrorDocument(error), fatal: true });
      this.settle({ error: lambdaErrorDocument(error), fatal: true });
    });
    this.worker.on('exit', (code) => {
      this.ended ??= (requestId) => ({ error: exitedDocument(requestId, code), fatal: true });
      this.settle({ error: exitedDocument(this.pending?.requestId ?? '', code), fatal: true });
    });
  }

  invoke(event: unknown, timeoutSeconds: number): Promise<SandboxAnswer> {
    const requestId = randomUUID();
    if (this.ended) return Promise.resolve(this.ended(requestId));
    const timeoutMs = timeoutSeconds * 1000;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // Lambda stops the sandbox of a function that runs past its timeout.
        this.settle({ error: timedOutDocument(requestId, timeoutSeconds), fatal: true });
        void this.worker.terminate();
      }, timeoutMs);
      this.pending = {
        requestId,
        settle: (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
      };
      const invocation: SandboxInvocation = {
        requestId,
        event: JSON.stringify(event ?? null),
        deadline: Date.now() + timeoutMs,
      };
      this.worker.postMessage(invocation);
    });
  }

  private settle(answer: SandboxAnswer): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.settle(answer);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * A function's sandboxes, as Lambda keeps them: an invocation takes a warm idle one or starts a
 * new one (so parallel invocations run side by side), and a sandbox that timed out, crashed or
 * failed to initialize is dropped, so the next invocation starts cold.
 */
export class LocalLambda {
  private readonly idle: Sandbox[] = [];
  private readonly running = new Set<Sandbox>();

  constructor(
    readonly fn: LocalFunction,
    private readonly runtime: string,
    private readonly bundle: string,
  ) {}

  /**
   * Starts a sandbox ahead of the first invocation, as a deployment's first request would find one
   * being initialized: its bundle loads on a thread of its own while the runner starts, instead of
   * on the execution's path. An init that fails is reported by that first invocation, as before.
   */
  warm(): void {
    if (this.idle.length === 0 && this.running.size === 0) {
      this.idle.push(new Sandbox(this.runtime, this.fn, this.bundle));
    }
  }

  /** The function's result, or a LambdaFunctionError carrying the runtime's error document. */
  async invoke(event: unknown): Promise<unknown> {
    const sandbox = this.idle.pop() ?? new Sandbox(this.runtime, this.fn, this.bundle);
    this.running.add(sandbox);
    const answer = await sandbox.invoke(event, this.fn.timeoutSeconds);
    this.running.delete(sandbox);
    if ('payload' in answer) {
      this.idle.push(sandbox);
      return JSON.parse(answer.payload) as unknown;
    }
    if (answer.fatal) await sandbox.stop();
    else this.idle.push(sandbox);
    throw new LambdaFunctionError(answer.error);
  }

  async close(): Promise<void> {
    const sandboxes = [...this.idle.splice(0), ...this.running];
    this.running.clear();
    await Promise.all(sandboxes.map((sandbox) => sandbox.stop()));
  }
}
