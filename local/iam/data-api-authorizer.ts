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
import { parseAuthorization, signatureMatches } from './sigv4';
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

/**
 * The session that signed the request, authenticated as AWS does: an access key STS issued, its
 * session token, a scope of this region and service, and the signature its secret gives.
 */
function signer(request: ReceivedRequest, sts: LocalSts, region: string): RolePrincipal {
  const header = request.headers.authorization;
  if (header === undefined) throw new MissingAuthenticationTokenException();
  const authorization = parseAuthorization(header);
  if (!authorization) {
    throw new InvalidSignatureException(
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters of AWS4-HMAC-SHA256.",
    );
  }
  const credentials = sts.credentialsOf(authorization.accessKeyId);
  const principal = sts.principalOf(authorization.accessKeyId);
  if (!credentials || !principal || request.headers['x-amz-security-token'] !== credentials.sessionToken) {
    throw new UnrecognizedClientException();
  }
  if (authorization.service !== SIGNING_NAME) {
    throw new InvalidSignatureException(
      `Credential should be scoped to correct service: '${SIGNING_NAME}'. `,
    );
  }
  if (authorization.region !== region) {
    throw new InvalidSignatureException(
      `Credential should be scoped to a valid region, not '${authorization.region}'. `,
    );
  }
  if (!signatureMatches(request, authorization, credentials.secretAccessKey)) {
    throw new InvalidSignatureException(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret ' +
        'Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return principal;
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
