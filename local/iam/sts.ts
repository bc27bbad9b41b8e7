import { randomBytes } from 'node:crypto';
import type { LocalFunction, LocalRole } from '../cloud/local-deployment';

/** Who signed a request: a session of a role, as STS names it. */
export interface RolePrincipal {
  readonly account: string;
  readonly roleArn: string;
  readonly roleId: string;
  readonly roleName: string;
  readonly sessionName: string;
  /** `aws:userid`: `<RoleId>:<session name>`. */
  readonly userid: string;
  /** `arn:aws:sts::<account>:assumed-role/<role name>/<session name>`: `aws:PrincipalArn` is the role's. */
  readonly arn: string;
}

export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/**
 * Temporary credentials for role sessions, and the way back from an access key id to the session,
 * as a service reads the SigV4 `Credential=` of a request. Keys are random, as STS's are: nothing
 * may treat one as a name.
 */
export class LocalSts {
  private readonly sessions = new Map<
    string,
    { readonly principal: RolePrincipal; readonly credentials: SessionCredentials }
  >();

  constructor(private readonly account: string) {}

  assumeRole(role: LocalRole, sessionName: string): SessionCredentials {
    const accessKeyId = `ASIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`;
    const credentials = {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64').slice(0, 40),
      sessionToken: randomBytes(96).toString('base64'),
    };
    const principal = rolePrincipal(role, sessionName, this.account);
    this.sessions.set(accessKeyId, { principal, credentials });
    return credentials;
  }

  /** The session an access key id belongs to; undefined for a key STS never issued. */
  principalOf(accessKeyId: string): RolePrincipal | undefined {
    return this.sessions.get(accessKeyId)?.principal;
  }

  /** The credentials an access key id was issued with, to check a signature or a session token. */
  credentialsOf(accessKeyId: string): SessionCredentials | undefined {
    return this.sessions.get(accessKeyId)?.credentials;
  }
}

/** A session of a role, named as STS and IAM's condition keys name it. */
export function rolePrincipal(role: LocalRole, sessionName: string, account: string): RolePrincipal {
  return {
    account,
    roleArn: role.arn,
    roleId: role.roleId,
    roleName: role.name,
    sessionName,
    userid: `${role.roleId}:${sessionName}`,
    arn: `arn:aws:sts::${account}:assumed-role/${role.name}/${sessionName}`,
  };
}

/**
 * What Lambda adds to a function's environment: credentials of its role for a session named after
 * the function, so `aws:userid` is `<RoleId>:<function name>` as on AWS.
 */
export function lambdaCredentialsEnvironment(sts: LocalSts, fn: LocalFunction): Record<string, string> {
  const credentials = sts.assumeRole(fn.role, fn.name);
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
  };
}
