import { executeLocally } from '../../local/execution/local-execution';

// The local runner validates a definition as aws-local-stepfunctions does (asl-validator), and
// remembers on disk which definitions passed, so that later runs skip the schema compile. A
// definition that fails must fail on every run: nothing about it may be remembered as valid.

const run = (definition: Record<string, unknown>) =>
  executeLocally({ definition, handlers: {}, input: {}, executionName: 'validation' });

test('a definition the validator refuses fails every run, before any state runs', async () => {
  const dangling = {
    StartAt: 'first',
    States: { first: { Type: 'Pass', Next: `nowhere-${process.pid}-${Date.now()}` } },
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    await expect(run(dangling)).rejects.toThrow(/State machine definition is invalid/);
  }
});

test('a valid definition runs on every run, validated or remembered', async () => {
  const definition = {
    StartAt: 'only',
    States: { only: { Type: 'Pass', Result: { attempt: `${process.pid}-${Date.now()}` }, End: true } },
  };
  const first = await run(definition);
  const second = await run(structuredClone(definition));
  expect(first).toMatchObject({ status: 'SUCCEEDED', output: definition.States.only.Result });
  expect(second).toMatchObject({ status: 'SUCCEEDED', output: definition.States.only.Result });
});
