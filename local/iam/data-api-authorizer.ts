import type { LocalDeployment } from '../cloud/local-deployment';
import {
  AccessDeniedException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
  UnrecognizedClientException,
} from '../data-api/errors';
import type { Input } from '../data-api/input';
import type { DataApiAuthorizer, DataApiCall, ReceivedRequest } from '../data-api/server';
import { accessDeniedMessage, evaluate, type AuthorizationRequest } from './evaluator';
import { authenticateSigner, isSignerProblem } from './signer';
import type { LocalSts, RolePrincipal } from './sts';

const OWNER_KEY = 'redshift-data:statement-owner-iam-userid';
const SUBMITTING = new Set(['ExecuteStatement', 'BatchExecuteStatement']);
const BY_STATEMENT_ID = new Set(['DescribeStatement', 'GetStatementResult', 'CancelStatement']);
const SIGNING_NAME = 'redshift-data';

/**
 * The Data API's IAM check, on the deployment's policies: the signer is the session whose access
 * key id signed the request; ExecuteStatement and BatchExecuteStatement are authorized on the
 * cluster's or workgroup's ARN, plus the right to the database credentials they connect with
 * (see databaseCredentials); Describe, GetStatementResult and Cancel on `*` with
 * `redshift-data:statement-owner-iam-userid` = the submitter's `aws:userid`; ListStatements on `*`
 * with the caller's own, since it lists the caller's statements.
 */
export function dataApiAuthorizer(deployment: LocalDeployment, sts: LocalSts): DataApiAuthorizer {
  return (call) => {
    const principal = signer(call.request, sts, deployment.region);
    const role = deployment.roles.get(principal.roleArn);
    if (!role) throw new Error(`${principal.roleArn} is not a role of the local deployment`);
    for (const request of requestsOf(call, principal, deployment)) {
      const { decision } = evaluate(role, request);
      if (decision !== 'Allowed') throw new AccessDeniedException(accessDeniedMessage(request, decision));
    }
    return { userid: principal.userid, roleId: principal.roleId };
  };
}

/** The signer, or the error the Data API answers an unauthenticated request with. */
function signer(request: ReceivedRequest, sts: LocalSts, region: string): RolePrincipal {
  const signed = authenticateSigner(request, sts, { service: SIGNING_NAME, region });
  if (!isSignerProblem(signed)) return signed;
  switch (signed.problem) {
    case 'missing':
      throw new MissingAuthenticationTokenException();
    case 'malformed':
      throw new InvalidSignatureException(
        "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters of AWS4-HMAC-SHA256.",
      );
    case 'unknown-key':
      throw new UnrecognizedClientException();
    case 'wrong-service':
      throw new InvalidSignatureException(
        `Credential should be scoped to correct service: '${signed.expected}'. `,
      );
    case 'wrong-region':
      throw new InvalidSignatureException(
        `Credential should be scoped to a valid region, not '${signed.given}'. `,
      );
    case 'bad-signature':
      throw new InvalidSignatureException(
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret ' +
          'Access Key and signing method. Consult the service documentation for details.',
      );
  }
}

function requestsOf(
  call: DataApiCall,
  principal: RolePrincipal,
  deployment: LocalDeployment,
): AuthorizationRequest[] {
  const action = `redshift-data:${call.operation}`;
  if (SUBMITTING.has(call.operation)) {
    const resource = warehouseArn(call.input, deployment);
    return [{ principal, action, resource }, databaseCredentials(call.input, principal, resource)];
  }
  const owner = BY_STATEMENT_ID.has(call.operation)
    ? call.ownerOf(stringMember(call.input, 'Id') ?? '')
    : principal.userid;
  // A statement submitted before the server authorized callers has no owner: no session owns it.
  return [{ principal, action, resource: '*', context: owner === undefined ? {} : { [OWNER_KEY]: owner } }];
}

/**
 * The Data API connects with the caller's rights: a SecretArn is read with
 * `secretsmanager:GetSecretValue`; without one, temporary credentials come from
 * `redshift:GetClusterCredentials` (a DbUser), `redshift:GetClusterCredentialsWithIAM` (the IAM
 * identity, on a cluster) or `redshift-serverless:GetCredentials` (on a workgroup).
 */
function databaseCredentials(
  input: Input,
  principal: RolePrincipal,
  warehouse: string,
): AuthorizationRequest {
  const secretArn = stringMember(input, 'SecretArn');
  if (secretArn !== undefined)
    return { principal, action: 'secretsmanager:GetSecretValue', resource: secretArn };
  const cluster = /^(arn:aws:redshift:[^:]+:\d+):cluster:(.+)$/.exec(warehouse);
  if (!cluster) return { principal, action: 'redshift-serverless:GetCredentials', resource: warehouse };
  const [, prefix, identifier] = cluster;
  const dbUser = stringMember(input, 'DbUser');
  return dbUser === undefined
    ? {
        principal,
        action: 'redshift:GetClusterCredentialsWithIAM',
        resource: `${prefix}:dbname:${identifier}/${stringMember(input, 'Database') ?? ''}`,
      }
    : {
        principal,
        action: 'redshift:GetClusterCredentials',
        resource: `${prefix}:dbuser:${identifier}/${dbUser}`,
      };
}

/** The ARN IAM authorizes a statement on: the deployment's warehouse, or the one the request names. */
function warehouseArn(input: Input, deployment: LocalDeployment): string {
  const { region, account, warehouse } = deployment;
  const cluster = stringMember(input, 'ClusterIdentifier');
  if (cluster !== undefined) {
    return warehouse.kind === 'provisioned' && warehouse.clusterIdentifier === cluster
      ? warehouse.dataApiResourceArn
      : `arn:aws:redshift:${region}:${account}:cluster:${cluster}`;
  }
  const workgroup = stringMember(input, 'WorkgroupName') ?? '';
  return warehouse.kind === 'serverless' && warehouse.workgroupName === workgroup
    ? warehouse.dataApiResourceArn
    : `arn:aws:redshift-serverless:${region}:${account}:workgroup/${workgroup}`;
}

function stringMember(input: Input, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' ? value : undefined;
}
