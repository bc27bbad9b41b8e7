import type { LocalDeployment } from '../cloud/local-deployment';
import { S3Error, type S3ListAuthorizer } from '../s3/server';
import { accessDeniedMessage, evaluate, type AuthorizationRequest } from './evaluator';
import { authenticateSigner, isSignerProblem, type SignerProblem } from './signer';
import type { LocalSts } from './sts';

/**
 * S3's check of a listing by a function of the deployment: the signer is the session whose access
 * key signed the request (scoped to S3 and the data's region), and its role's policies must allow
 * `s3:ListBucket` on the bucket with the request's `s3:prefix`. The bucket's own policy is not
 * modelled: the public data bucket lets anyone list it, so the role's policy is what decides.
 */
export function s3ListAuthorizer(
  deployment: LocalDeployment,
  sts: LocalSts,
  region: string,
): S3ListAuthorizer {
  return ({ bucket, context, request }) => {
    const principal = authenticateSigner(request, sts, { service: 's3', region });
    if (isSignerProblem(principal)) throw signerError(principal);
    const role = deployment.roles.get(principal.roleArn);
    if (!role) throw new Error(`${principal.roleArn} is not a role of the local deployment`);
    const access: AuthorizationRequest = {
      principal,
      action: 's3:ListBucket',
      resource: `arn:aws:s3:::${bucket}`,
      context,
    };
    const { decision } = evaluate(role, access);
    if (decision !== 'Allowed') throw new S3Error('AccessDenied', accessDeniedMessage(access, decision), 403);
  };
}

function signerError(signed: SignerProblem): S3Error {
  switch (signed.problem) {
    case 'missing':
      return new S3Error('AccessDenied', 'Access Denied', 403);
    case 'malformed':
    case 'wrong-service':
      return new S3Error('AuthorizationHeaderMalformed', 'The authorization header is malformed.', 400);
    case 'unknown-key':
      return new S3Error(
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
        403,
      );
    case 'wrong-region':
      return new S3Error(
        'AuthorizationHeaderMalformed',
        `The authorization header is malformed; the region '${signed.given}' is wrong; expecting '${signed.expected}'`,
        400,
        { Region: signed.expected },
      );
    case 'bad-signature':
      return new S3Error(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        403,
      );
  }
}
