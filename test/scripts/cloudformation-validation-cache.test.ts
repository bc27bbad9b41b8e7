import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachingEngine, type ValidationEngine } from '../../scripts/cloudformation-validation-cache.mjs';

// The validation report kept on disk stands in for the validator only for the very same template.

/** What CDK uses of @aws/cloudformation-validate, which aws-cdk-lib nests, so it has no types here. */
interface Validator {
  version(): string;
  TemplateContent: new (text: string, path: string) => { readBytes(): Uint8Array };
  CompositeEngine: new (config: object) => ValidationEngine;
}
const validate = jest.requireActual<Validator>('@aws/cloudformation-validate');

/** What CDK reads of a report. */
interface Report {
  readonly diagnostics: readonly { ruleId: string; severity: string }[];
}

const OPTIONS = { detailLevel: 'STANDARD', severityLevel: 'WARN' };
const bucket = (properties: object) =>
  new validate.TemplateContent(
    JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: properties } } }),
    'template.json',
  );

let cache: string;
let enginesBuilt: number;
let CachingEngine: ReturnType<typeof cachingEngine>;
beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), 'sparkify-validation-cache-'));
  enginesBuilt = 0;
  // The real validator, counting how often its engine is built.
  CachingEngine = cachingEngine(
    () => ({
      version: validate.version,
      CompositeEngine: function CountedEngine(config: object) {
        enginesBuilt += 1;
        return new validate.CompositeEngine(config);
      } as unknown as Validator['CompositeEngine'],
    }),
    cache,
  );
});
afterEach(() => rmSync(cache, { recursive: true, force: true }));

test('a template seen before gets the same report, errors included, with no engine built', () => {
  const invalid = bucket({ BucketName: 42, NoSuchProperty: true });
  const first = new CachingEngine({}).validateTemplate(invalid, OPTIONS) as Report;
  expect(first.diagnostics).toContainEqual(expect.objectContaining({ ruleId: 'F3002', severity: 'FATAL' }));
  expect(enginesBuilt).toBe(1);
  expect(readdirSync(cache)).toHaveLength(1);

  const again = new CachingEngine({}).validateTemplate(invalid, OPTIONS);
  expect(again).toEqual(first);
  expect(enginesBuilt).toBe(1);
});

test('a changed template, other rules or other options are validated afresh', () => {
  new CachingEngine({}).validateTemplate(bucket({ BucketName: 'a' }), OPTIONS);
  const changed = new CachingEngine({}).validateTemplate(bucket({ NoSuchProperty: true }), OPTIONS) as Report;
  expect(changed.diagnostics).toContainEqual(expect.objectContaining({ ruleId: 'F3002' }));
  new CachingEngine({}).validateTemplate(bucket({ BucketName: 'a' }), { ...OPTIONS, severityLevel: 'ERROR' });
  new CachingEngine({ guardRules: [] }).validateTemplate(bucket({ BucketName: 'a' }), OPTIONS);
  expect(enginesBuilt).toBe(4);
  expect(readdirSync(cache)).toHaveLength(4);
});
