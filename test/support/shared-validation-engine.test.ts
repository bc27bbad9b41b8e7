import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The jest environment (./jest/environment.cjs) shares the CloudFormation validation engine between
// test files: a synth must still fail on what the validator refuses, every time, and pass the rest.

function synthQueue(messageRetentionPeriod: unknown): void {
  const outdir = mkdtempSync(join(tmpdir(), 'sparkify-validation-'));
  try {
    const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    const stack = new Stack(app, 'Checked');
    new CfnResource(stack, 'Queue', {
      type: 'AWS::SQS::Queue',
      properties: { MessageRetentionPeriod: messageRetentionPeriod },
    });
    app.synth();
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

test('GIVEN a template the validator refuses WHEN synthesized twice THEN both synths fail, naming the property and the rule', () => {
  for (let run = 0; run < 2; run++) {
    expect(() => synthQueue({ nested: 'an object' })).toThrow(
      /MessageRetentionPeriod: .* is not of type 'integer' \(CloudFormation Validate\)[\s\S]*CloudFormation-Validate::F3012/,
    );
  }
});

test('GIVEN a valid template WHEN synthesized with the same engine THEN it passes', () => {
  expect(() => synthQueue(1209600)).not.toThrow();
});
