import { ArgumentError, argumentErrorText, readArguments } from '../local/cli/arguments';
import {
  START_COMMAND,
  startExecution,
  startRequest,
  stepFunctionsClientFor,
} from '../lib/operations/start-execution';

async function main(): Promise<void> {
  const values = readArguments(START_COMMAND);
  let request;
  try {
    request = startRequest(values);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    console.error(argumentErrorText(START_COMMAND, error));
    process.exitCode = 2;
    return;
  }
  const result = await startExecution(await stepFunctionsClientFor(request.stateMachineArn), request);
  console.log(`${result.executionArn}\n${result.status}`);
  if (request.wait && result.status !== 'SUCCEEDED') {
    console.error(`${result.error ?? 'no error'}: ${result.cause ?? 'no cause'}`);
    process.exitCode = 1;
  }
}

main().catch((error: Error) => {
  console.error(`✗ ${error.message}`);
  process.exitCode = 1;
});
