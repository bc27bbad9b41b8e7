import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * Where a rule target's events go once their retries are spent: encrypted, SSL-only, kept the 14
 * days SQS allows, so an operator can read what failed and why.
 */
export function deadLetterQueue(scope: Construct, id: string, whose: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `It is the dead-letter queue of ${whose}; nothing redrives into it.`,
  });
  return queue;
}
