// The runtime inside one local Lambda sandbox (a worker thread): it loads the function's bundle
// once, as a cold start does, with the function's own environment as process.env, then serves one
// invocation at a time, answering with the result as JSON or the runtime's error document.
import { parentPort, workerData } from 'node:worker_threads';
import { lambdaErrorDocument } from './lambda-error';
import type { SandboxAnswer, SandboxInvocation, SandboxReply, SandboxSetup } from './sandbox-protocol';

type Handler = (event: unknown, context: Record<string, unknown>) => unknown;

const setup = workerData as SandboxSetup;
const port = parentPort!;
let current: string | undefined;

// As on Lambda, an error nobody awaited fails the invocation in progress and ends the sandbox.
process.on('uncaughtException', (error) => {
  const reply: SandboxReply = { requestId: current ?? '', error: lambdaErrorDocument(error), fatal: true };
  port.postMessage(reply);
  process.exit(129);
});

// The deployed functions run with NODE_OPTIONS=--enable-source-maps; a worker takes no NODE_OPTIONS.
if (process.env.NODE_OPTIONS?.includes('--enable-source-maps')) process.setSourceMapsEnabled(true);

// The SDK warns, once per thread, that this Node.js is too old for its 2027 releases: it is the
// host's Node.js, not the runtime the functions deploy on, so the warning says nothing about them.
// The variable is the SDK's documented switch (aws/aws-sdk-js-v3#7983); the function's own
// environment, which process.env is here, does not have it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let handler: Handler | undefined;
let initError: unknown;
try {
  // The bundle is CommonJS, as deployed, and the Lambda runtime requires it the same way.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  handler = (require(setup.bundle) as { handler?: Handler }).handler;
  if (typeof handler !== 'function') throw new Error(`${setup.bundle} does not export a handler function`);
} catch (error) {
  initError = error;
}

port.on('message', (invocation: SandboxInvocation) => {
  current = invocation.requestId;
  const reply = (answer: SandboxAnswer) => {
    const message: SandboxReply = { requestId: invocation.requestId, ...answer };
    port.postMessage(message);
  };
  if (initError !== undefined || !handler) {
    reply({ error: lambdaErrorDocument(initError), fatal: true });
    return;
  }
  const context = {
    awsRequestId: invocation.requestId,
    functionName: setup.functionName,
    invokedFunctionArn: setup.functionArn,
    getRemainingTimeInMillis: () => Math.max(0, invocation.deadline - Date.now()),
  };
  Promise.resolve()
    .then(() => handler!(JSON.parse(invocation.event), context))
    .then(
      (result) => reply({ payload: JSON.stringify(result ?? null) }),
      (error: unknown) => reply({ error: lambdaErrorDocument(error) }),
    );
});
