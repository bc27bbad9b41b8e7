import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * A log group for the pipeline's own diagnostics: kept a month, and removed with the stack so that
 * `cdk destroy` leaves nothing that bills. (The warehouse's audit logs are Redshift's, not these.)
 */
export function diagnosticLogGroup(scope: Construct, id: string): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
}
