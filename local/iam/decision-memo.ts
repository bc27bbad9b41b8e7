import type { LocalRole } from '../cloud/local-deployment';
import { evaluate, type AuthorizationRequest, type Decision } from './evaluator';

/**
 * IAM decisions for requests that differ only in their resource, each evaluated once: a COPY of
 * one song per file authorizes `s3:GetObject` on 20,000 objects, and the simulator takes 0.1–0.2 ms
 * of CPU for each, which the staging steps pay on the endpoints' thread beside the other load.
 *
 * A decision depends on the resource only through which of the role's Resource and NotResource
 * patterns match it. When every pattern is a literal ARN, or a literal ARN up to its resource
 * followed by one trailing `*`, whether a pattern matches is settled by two facts per pattern: does
 * the ARN equal it (or start with its literal part), as written and ignoring case. Requests that
 * agree on all of them, and on the role, principal, action and context, get one decision, whatever
 * case rules the simulator applies. A pattern with `?`, an inner `*` or a policy variable turns the
 * memo off for that role, and a resource outside printable ASCII is always evaluated.
 */
export function memoizedEvaluator(
  decide: (role: LocalRole, request: AuthorizationRequest) => Decision = (role, request) =>
    evaluate(role, request).decision,
): (role: LocalRole, request: AuthorizationRequest) => Decision {
  const patternsOf = new WeakMap<LocalRole, readonly ResourcePattern[] | null>();
  const decisions = new Map<string, Decision>();
  return (role, request) => {
    let patterns = patternsOf.get(role);
    if (patterns === undefined) {
      patterns = resourcePatterns(role) ?? null;
      patternsOf.set(role, patterns);
    }
    // Case folding beyond ASCII may differ between toLowerCase and the simulator's own.
    if (patterns === null || !/^[\x20-\x7e]*$/.test(request.resource)) return decide(role, request);
    const key = JSON.stringify([
      role.arn,
      request.principal.arn,
      request.principal.userid,
      request.action,
      Object.entries(request.context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      patterns.map((pattern) => matchFacts(pattern, request.resource)).join(''),
    ]);
    let decision = decisions.get(key);
    if (decision === undefined) {
      decision = decide(role, request);
      decisions.set(key, decision);
    }
    return decision;
  };
}

interface ResourcePattern {
  readonly literal: string;
  /** A trailing `*`: the pattern matches every ARN that starts with the literal. */
  readonly prefix: boolean;
}

/** An ARN's `arn:partition:service:region:account:` part: a trailing `*` must come after it. */
const ARN_HEAD_COLONS = 5;

function resourcePatterns(role: LocalRole): ResourcePattern[] | undefined {
  const patterns: ResourcePattern[] = [];
  for (const { document } of role.policies) {
    const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
    for (const statement of statements as unknown[]) {
      if (typeof statement !== 'object' || statement === null) return undefined;
      const { Resource, NotResource } = statement as { Resource?: unknown; NotResource?: unknown };
      const given = Resource ?? NotResource;
      if (given === undefined) return undefined;
      for (const pattern of Array.isArray(given) ? (given as unknown[]) : [given]) {
        const parsed = typeof pattern === 'string' ? simplePattern(pattern) : undefined;
        if (parsed === undefined) return undefined;
        patterns.push(parsed);
      }
    }
  }
  return patterns;
}

function simplePattern(pattern: string): ResourcePattern | undefined {
  const prefix = pattern.endsWith('*');
  const literal = prefix ? pattern.slice(0, -1) : pattern;
  if (/[*?]|\$\{/.test(literal)) return undefined;
  if (prefix && literal !== '' && literal.split(':').length - 1 < ARN_HEAD_COLONS) return undefined;
  return { literal, prefix };
}

function matchFacts({ literal, prefix }: ResourcePattern, resource: string): string {
  const matches = (arn: string, pattern: string) => (prefix ? arn.startsWith(pattern) : arn === pattern);
  const asWritten = matches(resource, literal);
  const ignoringCase = matches(resource.toLowerCase(), literal.toLowerCase());
  return `${asWritten ? 1 : 0}${ignoringCase ? 1 : 0}`;
}
