import type { ReceivedRequest } from '../data-api/server';
import { parseAuthorization, signatureMatches } from './sigv4';
import type { LocalSts, RolePrincipal } from './sts';

/** Why a request's signer could not be authenticated; each service words these its own way. */
export type SignerProblem =
  | { readonly problem: 'missing' | 'malformed' | 'unknown-key' | 'bad-signature' }
  | { readonly problem: 'wrong-service'; readonly expected: string }
  | { readonly problem: 'wrong-region'; readonly expected: string; readonly given: string };

/**
 * The session that signed a request, authenticated as AWS does: an access key STS issued, its
 * session token, a scope of this region and service, and the signature its secret gives.
 */
export function authenticateSigner(
  request: ReceivedRequest,
  sts: LocalSts,
  scope: { readonly service: string; readonly region: string },
): RolePrincipal | SignerProblem {
  const header = request.headers.authorization;
  if (header === undefined) return { problem: 'missing' };
  const authorization = parseAuthorization(header);
  if (!authorization) return { problem: 'malformed' };
  const credentials = sts.credentialsOf(authorization.accessKeyId);
  const principal = sts.principalOf(authorization.accessKeyId);
  if (!credentials || !principal || request.headers['x-amz-security-token'] !== credentials.sessionToken) {
    return { problem: 'unknown-key' };
  }
  if (authorization.service !== scope.service) return { problem: 'wrong-service', expected: scope.service };
  if (authorization.region !== scope.region) {
    return { problem: 'wrong-region', expected: scope.region, given: authorization.region };
  }
  if (!signatureMatches(request, authorization, credentials.secretAccessKey))
    return { problem: 'bad-signature' };
  return principal;
}

export const isSignerProblem = (value: RolePrincipal | SignerProblem): value is SignerProblem =>
  'problem' in value;
