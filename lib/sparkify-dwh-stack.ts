import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { EtlFunctionKey } from '../contract/functions';
import type { SparkifyConfig } from './config';
import { PipelineAlarms } from './constructs/alarms';
import { DataAccessRole } from './constructs/data-access-role';
import { EtlFunctions } from './constructs/etl-functions';
import { EtlStateMachine } from './constructs/etl-state-machine';
import { Network } from './constructs/network';
import { ProvisionedWarehouse } from './constructs/provisioned-warehouse';
import { PipelineSchedule } from './constructs/schedule';
import { ServerlessWarehouse } from './constructs/serverless-warehouse';
import { StopCleanup } from './constructs/stop-cleanup';
import { REDSHIFT_PORT, type Warehouse, type WarehouseProps } from './constructs/warehouse';

/** How long one statement may run before the poll handler cancels it. */
export const STATEMENT_TIMEOUT = Duration.hours(2);
/**
 * Five stages run one after another, each bounded by the statement timeout, so this bounds the
 * worst case; at the 30 s poll cap that stays well under the 25,000-event execution history limit.
 */
export const EXECUTION_TIMEOUT = Duration.hours(12);

export interface SparkifyDwhStackProps extends StackProps {
  readonly config: SparkifyConfig;
}

/** The warehouse, its network and S3 access, the ETL state machine, its schedule, stop cleanup and alarms. */
export class SparkifyDwhStack extends Stack {
  readonly warehouse: Warehouse;
  readonly etlFunctions: EtlFunctions;
  readonly pipeline: EtlStateMachine;
  /** Every handler the stack deploys, the state machine's and the stop cleanup. */
  readonly functions: Readonly<Record<EtlFunctionKey, lambda.IFunction>>;

  constructor(scope: Construct, id: string, props: SparkifyDwhStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { data } = config;

    const network = new Network(this, 'Network', {
      availabilityZones: config.availabilityZones,
      dataBuckets: [
        ...new Set([data.songData, data.logData, data.logJsonPath].map((location) => location.bucket)),
      ],
    });
    const dataAccess = new DataAccessRole(this, 'DataAccess', {
      warehouseKind: config.warehouse.kind,
      prefixes: [data.songData, data.logData],
      objects: [data.logJsonPath],
    });

    // A kept final snapshot is encrypted with this key, so the key lives as long as the data does.
    const encryptionKey = new kms.Key(this, 'WarehouseKey', {
      description: 'Sparkify warehouse encryption at rest',
      enableKeyRotation: true,
      removalPolicy: config.removeDataOnDestroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(7),
    });
    const warehouseProps: WarehouseProps = {
      network,
      dataAccessRole: dataAccess.role,
      encryptionKey,
      databaseName: config.databaseName,
      removeDataOnDestroy: config.removeDataOnDestroy,
      snapshotRetentionDays: config.snapshotRetentionDays,
    };
    this.warehouse =
      config.warehouse.kind === 'provisioned'
        ? new ProvisionedWarehouse(this, 'Warehouse', { ...warehouseProps, ...config.warehouse })
        : new ServerlessWarehouse(this, 'Warehouse', { ...warehouseProps, ...config.warehouse });
    if (config.removeDataOnDestroy) {
      Validations.of(this).addWarning(
        'sparkify:removeDataOnDestroy',
        'removeDataOnDestroy=true: `cdk destroy` deletes the warehouse, its data and its key without a final snapshot',
      );
    }

    this.etlFunctions = new EtlFunctions(this, 'EtlFunctions', {
      warehouse: this.warehouse,
      data,
      dataAccessRole: dataAccess.role,
      statementTimeout: STATEMENT_TIMEOUT,
      missingDays: config.missingDays,
    });
    this.pipeline = new EtlStateMachine(this, 'Pipeline', {
      functions: this.etlFunctions.functions,
      timeout: EXECUTION_TIMEOUT,
    });
    const { stateMachine } = this.pipeline;
    const stopCleanup = new StopCleanup(this, 'StopCleanup', {
      stateMachine,
      etlFunctions: this.etlFunctions,
    });
    this.functions = { ...this.etlFunctions.functions, stopCleanup: stopCleanup.function };
    const schedule = new PipelineSchedule(this, 'Schedule', { stateMachine, ...config.schedule });
    const alarms = new PipelineAlarms(this, 'Alarms', {
      stateMachine,
      email: config.alarmEmail,
      ...(config.schedule.enabled ? { scheduleRule: schedule.rule } : {}),
    });

    const region = this.region;
    new CfnOutput(this, 'StateMachineArn', { value: stateMachine.stateMachineArn });
    new CfnOutput(this, 'StateMachineConsoleUrl', {
      value: `https://${region}.console.aws.amazon.com/states/home?region=${region}#/statemachines/view/${stateMachine.stateMachineArn}`,
    });
    new CfnOutput(this, 'WarehouseEndpoint', {
      value: `${this.warehouse.endpointAddress}:${REDSHIFT_PORT}`,
    });
    new CfnOutput(this, 'WarehouseAdminSecretArn', {
      description: 'Secrets Manager secret with the admin credentials (Redshift-managed)',
      value: this.warehouse.adminSecretArn,
    });
    const { target } = this.warehouse;
    const [warehouseOutput, warehouseFlag, warehouseName] =
      target.kind === 'serverless'
        ? ['WorkgroupName', '--workgroup-name', target.workgroupName]
        : ['ClusterIdentifier', '--cluster-identifier', target.clusterIdentifier];
    new CfnOutput(this, warehouseOutput, { value: warehouseName });
    new CfnOutput(this, 'DatabaseName', { value: this.warehouse.databaseName });
    new CfnOutput(this, 'ExecuteStatementCommand', {
      description: 'Runs SQL on the warehouse through the Data API, as the admin user',
      value:
        `aws redshift-data execute-statement --region ${region} ${warehouseFlag} ${warehouseName} ` +
        `--database ${this.warehouse.databaseName} --secret-arn ${this.warehouse.adminSecretArn} ` +
        `--sql "select count(*) from songplays"`,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'SNS topic every pipeline alarm publishes to: subscribe to it',
      value: alarms.topic.topicArn,
    });
    // A full run: the one to start first on a new warehouse (incremental inputs are in the README).
    new CfnOutput(this, 'StartExecutionCommand', {
      value: `aws stepfunctions start-execution --region ${region} --state-machine-arn ${stateMachine.stateMachineArn} --input '{"mode":"full"}'`,
    });
  }
}
