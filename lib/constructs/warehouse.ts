import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { WarehouseTarget } from '../../contract/environment';
import type { Network } from './network';

/** What the rest of the stack needs from a warehouse, whichever kind it is. */
export interface Warehouse {
  /** Where the Data API sends statements: a cluster identifier or a workgroup name. */
  readonly target: WarehouseTarget;
  /** The resource `ExecuteStatement`/`BatchExecuteStatement` may be scoped to. */
  readonly dataApiResourceArn: string;
  readonly databaseName: string;
  /** The Redshift-managed Secrets Manager secret holding the admin user and password. */
  readonly adminSecretArn: string;
  readonly endpointAddress: string;
}

export interface WarehouseProps {
  readonly network: Network;
  /** The S3-read role: attached, and the default role COPY uses. */
  readonly dataAccessRole: IRole;
  readonly encryptionKey: IKey;
  readonly databaseName: string;
  /** When false, deleting the warehouse leaves a final snapshot behind. */
  readonly removeDataOnDestroy: boolean;
  /** Days the warehouse's automated or scheduled snapshots are kept. */
  readonly snapshotRetentionDays: number;
}

/** The admin user: a non-default name, password generated and kept by Secrets Manager. */
export const ADMIN_USERNAME = 'sparkify_admin';

/** Redshift's default port, set explicitly so that outputs need not read it back. */
export const REDSHIFT_PORT = 5439;

/** The audit logs exported to CloudWatch Logs. */
export const AUDIT_LOG_EXPORTS = ['connectionlog', 'userlog', 'useractivitylog'];
