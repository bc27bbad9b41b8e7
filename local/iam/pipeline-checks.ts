import type { LocalEventRule } from '../cloud/event-rules';
import type { LocalDeployment, LocalFunction, LocalRole } from '../cloud/local-deployment';
import { accessDeniedMessage, evaluate, type AuthorizationRequest } from './evaluator';
import { rolePrincipal } from './sts';

/** A call IAM refused: the error and cause the calling service reports. */
export interface Denial {
  readonly error: string;
  readonly cause: string;
}

// The services name their role sessions themselves; policies here never condition on those names.
const STATES_SESSION = 'StepFunctionsSession';
const EVENTS_SESSION = 'EventBridgeSession';

function check(
  role: LocalRole,
  request: Omit<AuthorizationRequest, 'principal'>,
  account: string,
  sessionName: string,
) {
  const full = { ...request, principal: rolePrincipal(role, sessionName, account) };
  const { decision } = evaluate(role, full);
  return decision === 'Allowed' ? undefined : accessDeniedMessage(full, decision);
}

/**
 * Whether the state machine's role may invoke a function, as a Lambda Task does. Refused, Step
 * Functions fails the Task with `Lambda.AWSLambdaException` and Lambda's 403 in the cause.
 */
export function canInvoke(deployment: LocalDeployment, functionArn: string): Denial | undefined {
  const { stateMachine, account } = deployment;
  const message = check(
    stateMachine.role,
    { action: 'lambda:InvokeFunction', resource: functionArn },
    account,
    STATES_SESSION,
  );
  return message === undefined
    ? undefined
    : { error: 'Lambda.AWSLambdaException', cause: `${message} (Service: Lambda, Status Code: 403)` };
}

/**
 * Whether the schedule rule's role may start the state machine. Refused, EventBridge counts a
 * failed invocation and no execution starts.
 */
export function canStartExecution(deployment: LocalDeployment): Denial | undefined {
  const { schedule, account } = deployment;
  const message = check(
    schedule.role,
    { action: 'states:StartExecution', resource: schedule.stateMachineArn },
    account,
    EVENTS_SESSION,
  );
  return message === undefined ? undefined : { error: 'AccessDeniedException', cause: message };
}

/**
 * Whether an EventBridge rule may invoke a function. Lambda authorizes another service by the
 * function's resource policy: a permission for `lambda:InvokeFunction` to `events.amazonaws.com`,
 * from this rule when the permission names a source. Refused, EventBridge retries nothing and
 * hands the event to the target's dead-letter queue with this error code.
 */
export function canDeliver(rule: LocalEventRule, fn: LocalFunction): Denial | undefined {
  const allowed = fn.invokePermissions.some(
    (permission) =>
      ['lambda:InvokeFunction', 'lambda:*'].includes(permission.action) &&
      permission.principal === 'events.amazonaws.com' &&
      (permission.sourceArn === undefined || permission.sourceArn === rule.arn),
  );
  return allowed
    ? undefined
    : {
        error: 'NO_PERMISSIONS',
        cause: `${rule.arn} may not invoke ${fn.arn}: no permission of its resource policy allows events.amazonaws.com from this rule`,
      };
}
