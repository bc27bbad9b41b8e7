import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENV } from '../../lambda/shared/environment';
import type { DataConfig } from '../config';
import type { EtlFunctionKey } from '../etl-entries';
import { EtlFunction } from './etl-function';
import type { Warehouse } from './warehouse';

export interface EtlFunctionsProps {
  readonly warehouse: Warehouse;
  readonly data: DataConfig;
  /** The role COPY names in IAM_ROLE. */
  readonly dataAccessRole: iam.IRole;
  /** How long a statement may run before the poll handler cancels it. */
  readonly statementTimeout: Duration;
}

/**
 * The pipeline's three handlers. Submit and poll share one role because the Data API lets only
 * the identity that ran a statement describe it; planning the run needs no Data API rights at all.
 */
export class EtlFunctions extends Construct {
  readonly functions: Readonly<Record<EtlFunctionKey, lambda.IFunction>>;
  /** The role that runs and describes statements. */
  readonly statementRole: iam.Role;

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
    // the statements this role itself ran.
    this.statementRole.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'redshift-data:DescribeStatement',
          'redshift-data:GetStatementResult',
          'redshift-data:CancelStatement',
          'redshift-data:ListStatements',
        ],
        resources: ['*'],
        conditions: { StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } },
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
      description: 'Sparkify ETL: validate the execution input (logs and traces only)',
    });

    const target: Record<string, string> =
      warehouse.target.kind === 'provisioned'
        ? { [ENV.clusterIdentifier]: warehouse.target.clusterIdentifier }
        : { [ENV.workgroupName]: warehouse.target.workgroupName };
    const warehouseEnvironment: Record<string, string> = {
      [ENV.warehouseKind]: warehouse.target.kind,
      ...target,
      [ENV.database]: warehouse.databaseName,
      [ENV.secretArn]: warehouse.adminSecretArn,
    };

    this.functions = {
      planRun: new EtlFunction(this, 'PlanRun', {
        handler: 'planRun',
        description: 'Sparkify ETL: turn the execution input into a run plan',
        role: planRole,
        timeout: Duration.seconds(10),
      }),
      submitStatement: new EtlFunction(this, 'SubmitStatement', {
        handler: 'submitStatement',
        description: "Sparkify ETL: submit a step's SQL as one Data API transaction",
        role: this.statementRole,
        environment: {
          ...warehouseEnvironment,
          [ENV.songDataUri]: data.songData.uri,
          [ENV.logDataUri]: data.logData.uri,
          [ENV.logJsonPathUri]: data.logJsonPath.uri,
          [ENV.dataRegion]: data.region,
          [ENV.copyRoleArn]: props.dataAccessRole.roleArn,
        },
      }),
      pollStatement: new EtlFunction(this, 'PollStatement', {
        handler: 'pollStatement',
        description: "Sparkify ETL: report a statement's progress, failure or check results",
        role: this.statementRole,
        environment: {
          ...warehouseEnvironment,
          [ENV.statementTimeoutSeconds]: String(props.statementTimeout.toSeconds()),
        },
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
