import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../lib/etl-entries';

/** cdk.json's context: the feature flags and default keys `cdk synth` runs with. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(projectRoot(), 'cdk.json'), 'utf8')).context;
}
