import { randomBytes } from 'node:crypto';
import type { LocalDeployment } from '../cloud/local-deployment';
import type { S3Authorizer } from '../copy/local-s3';
import { memoizedEvaluator } from './decision-memo';
import { rolePrincipal } from './sts';
import { trustsService, warehouseService } from './trust';

/** The session name Redshift gives the role it assumes for COPY. */
export const COPY_SESSION_NAME = 'RedshiftIamRoleSession';

/** COPY refused S3 access, worded as Redshift words it. */
export class CopyAuthorizationError extends Error {
  override readonly name = 'CopyAuthorizationError';
}

/**
 * COPY's S3 authorization on the deployment: the IAM_ROLE must be attached to the warehouse
 * (`default` is its default role) and trust Redshift to assume it, and that role's policies must
 * allow `s3:ListBucket` on the bucket with `s3:prefix` = the FROM prefix and `s3:GetObject` on
 * every object read, the JSONPaths file included.
 */
export async function copyS3Authorizer(deployment: LocalDeployment): Promise<S3Authorizer> {
  const { warehouse, account, region } = deployment;
  const assumable = new Set<string>();
  for (const arn of warehouse.iamRoleArns) {
    const role = deployment.roles.get(arn);
    if (role && (await trustsService(role, warehouseService(deployment), account))) assumable.add(arn);
  }
  const decide = memoizedEvaluator();
  return (iamRole, access) => {
    if (iamRole === undefined) {
      throw new CopyAuthorizationError(
        'COPY names no IAM_ROLE: the local warehouse reads S3 only as an attached role',
      );
    }
    const roleArn = iamRole === 'default' ? warehouse.defaultIamRoleArn : iamRole;
    if (roleArn === undefined) {
      throw new CopyAuthorizationError('IAM_ROLE default: the warehouse has no default IAM role set');
    }
    const role = deployment.roles.get(roleArn);
    if (!role || !assumable.has(roleArn)) {
      throw new CopyAuthorizationError(
        warehouse.kind === 'serverless'
          ? `Not authorized to get credentials of role ${roleArn}`
          : `User arn:aws:redshift:${region}:${account}:dbuser:${warehouse.clusterIdentifier}/${warehouse.adminUsername} ` +
              `is not authorized to assume IAM Role ${roleArn}`,
      );
    }
    const principal = rolePrincipal(role, COPY_SESSION_NAME, account);
    const decision = decide(role, { principal, ...access });
    if (decision !== 'Allowed') {
      const id = () => randomBytes(8).toString('hex').toUpperCase();
      throw new CopyAuthorizationError(
        `S3ServiceException:Access Denied,Status 403,Error AccessDenied,Rid ${id()},ExtRid ${id()},CanRetry 1\n` +
          `DETAIL: code: 8001 context: ${access.description} ` +
          `(${principal.arn} may not ${access.action} on ${access.resource})`,
      );
    }
  };
}
