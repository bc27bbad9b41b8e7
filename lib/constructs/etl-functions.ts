import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { functionEnvironment, type FunctionSettings } from '../../contract/environment';
import type { DataConfig } from '../config';
import type { MissingDaysPolicy } from '../../contract/missing-days';
import type { EtlFunctionKey, TaskFunctionKey } from '../../contract/functions';
import { EtlFunction } from './etl-function';
import type { Warehouse } from './warehouse';

export interface EtlFunctionsProps {
  readonly warehouse: Warehouse;
  readonly data: DataConfig;
  /** The role COPY names in IAM_ROLE. */
  readonly dataAccessRole: iam.IRole;
  /** How long a statement may run before the poll handler cancels it. */
  readonly statementTimeout: Duration;
  /** What an incremental run does about a day with no log object. */
  readonly missingDays: MissingDaysPolicy;
}

/**
 * The pipeline's three handlers. Submit and poll share one role because the Data API lets only
 * the identity that ran a statement describe it; planning the run needs no Data API rights at all,
 * only to list the log location, to find the days of its range that have no log object.
 */
export class EtlFunctions extends Construct {
  readonly functions: Readonly<Record<TaskFunctionKey, lambda.IFunction>>;
  /** The role that runs and describes statements: submit, poll, and the stop cleanup. */
  readonly statementRole: iam.Role;
  /** What every handler's environment is made of. */
  readonly settings: FunctionSettings;

  constructor(scope: Construct, id: string, props: EtlFunctionsProps) {
    super(scope, id);
    const { warehouse, data } = props;

    this.statementRole = new iam.Role(this, 'StatementRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Sparkify ETL: run and follow Data API statements on the warehouse',
    });
    this.statementRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['redshift-data:ExecuteStatement', 'redshift-data:BatchExecuteStatement'],
        resources: [warehouse.dataApiResourceArn],
      }),
    );
    // These actions have no resource type, so IAM takes only `*`; the condition narrows them to
    // the statements this role itself ran. Lambda names each function's role session after the
    // function, so the submitter's `aws:userid` is `<RoleId>:<submit function>` and the poller's
    // `<RoleId>:<poll function>`: matching `${aws:userid}` would deny every poll. Any session of
    // this role (`<RoleId>:*`) is what "this role ran it" means.
    this.statementRole.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'redshift-data:DescribeStatement',
          'redshift-data:GetStatementResult',
          'redshift-data:CancelStatement',
          'redshift-data:ListStatements',
        ],
        resources: ['*'],
        conditions: {
          StringLike: { 'redshift-data:statement-owner-iam-userid': `${this.statementRole.roleId}:*` },
        },
      }),
    );
    this.statementRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [warehouse.adminSecretArn],
      }),
    );

    const planRole = new iam.Role(this, 'PlanRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Sparkify ETL: validate the execution input and list the log days it covers',
    });
    const logs = data.logData;
    planRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [`arn:${Stack.of(this).partition}:s3:::${logs.bucket}`],
        conditions: { StringLike: { 's3:prefix': [`${logs.key.replace(/\/+$/, '')}/*`] } },
      }),
    );

    this.settings = {
      target: warehouse.target,
      database: warehouse.databaseName,
      secretArn: warehouse.adminSecretArn,
      songDataUri: data.songData.uri,
      logDataUri: data.logData.uri,
      logJsonPathUri: data.logJsonPath.uri,
      dataRegion: data.region,
      copyRoleArn: props.dataAccessRole.roleArn,
      statementTimeoutSeconds: props.statementTimeout.toSeconds(),
      missingDays: props.missingDays,
    };
    const environment = (key: EtlFunctionKey) => functionEnvironment(key, this.settings);

    this.functions = {
      planRun: new EtlFunction(this, 'PlanRun', {
        handler: 'planRun',
        description: 'Sparkify ETL: turn the execution input into a run plan',
        role: planRole,
        environment: environment('planRun'),
        timeout: Duration.seconds(10),
      }),
      submitStatement: new EtlFunction(this, 'SubmitStatement', {
        handler: 'submitStatement',
        description: "Sparkify ETL: submit a step's SQL as one Data API transaction",
        role: this.statementRole,
        environment: environment('submitStatement'),
      }),
      pollStatement: new EtlFunction(this, 'PollStatement', {
        handler: 'pollStatement',
        description: "Sparkify ETL: report a statement's progress, failure or check results",
        role: this.statementRole,
        environment: environment('pollStatement'),
      }),
    };

    const wildcard = (role: iam.IRole, reason: string) =>
      Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason });
    wildcard(
      this.statementRole,
      'X-Ray writes and Data API Describe/GetStatementResult/Cancel/ListStatements take only Resource "*"; ' +
        'a condition limits the Data API ones to statements this role ran.',
    );
    wildcard(planRole, 'X-Ray PutTraceSegments/PutTelemetryRecords take only Resource "*".');
  }
}
