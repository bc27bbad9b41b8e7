import {
  USAGE,
  UsageError,
  parseStartArgs,
  startExecution,
  stepFunctionsClientFor,
} from '../lib/operations/start-execution';

async function main(): Promise<void> {
  const request = parseStartArgs(process.argv.slice(2));
  const result = await startExecution(await stepFunctionsClientFor(request.stateMachineArn), request);
  console.log(`${result.executionArn}\n${result.status}`);
  if (request.wait && result.status !== 'SUCCEEDED') {
    console.error(`${result.error ?? 'no error'}: ${result.cause ?? 'no cause'}`);
    process.exitCode = 1;
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  if (error instanceof UsageError) console.error(`\n${USAGE}`);
  process.exitCode = 1;
});
