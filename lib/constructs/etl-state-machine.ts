import { Stack, Validations, type CfnElement, type Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PIPELINE, RUN_LOCK_STEP, stepStatePath, type StepName } from '../../contract/steps';
import type { TaskFunctionKey } from '../../contract/functions';
import { diagnosticLogGroup } from './log-group';
import { invokeHandler, SqlStep } from './sql-step';

export const PLAN_STATE = 'plan run';
export const SUCCEED_STATE = 'pipeline succeeded';
export const FAIL_STATE = 'pipeline failed';
/** Visited when a run that claimed the lock finds the song catalogue empty, and loads it. */
export const CATALOGUE_LOAD_STATE = `${RUN_LOCK_STEP}: song catalogue is empty, loading it`;
/** Where a caught step error's `{ Error, Cause }` is kept for record_failure and the Fail state. */
export const FAILURE_PATH = '$.failure';

export interface EtlStateMachineProps {
  readonly functions: Readonly<Record<TaskFunctionKey, lambda.IFunction>>;
  /** Bounds an execution, polling loops included. */
  readonly timeout: Duration;
}

/**
 * The ETL workflow: plan the run, then each SQL step of `PIPELINE`, then succeed.
 *
 * An error after planning (StatementFailed, StatementTimedOut, DataQualityCheckFailed, or retries
 * run out) is caught, marked in the run's audit row by the `record_failure` step, and ends the
 * execution in `pipeline failed` with the original error and cause (Redshift's own text). A bad
 * input fails `plan run` itself: there is no run to record then.
 */
export class EtlStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: EtlStateMachineProps) {
    super(scope, id);
    const { planRun, submitStatement, pollStatement } = props.functions;
    const handlers = { submit: submitStatement, poll: pollStatement };

    const failed = new sfn.Fail(this, 'Fail', {
      stateName: FAIL_STATE,
      errorPath: `${FAILURE_PATH}.Error`,
      causePath: `${FAILURE_PATH}.Cause`,
    });
    // If recording fails too, the run still fails with the original error, kept at FAILURE_PATH.
    const recordFailure = new SqlStep(this, {
      step: 'record_failure',
      ...handlers,
      submitPayload: { failure: sfn.JsonPath.objectAt(FAILURE_PATH) },
      onError: { handler: failed, resultPath: '$.recordFailureError' },
    }).next(failed);
    const onError = { handler: recordFailure, resultPath: FAILURE_PATH };
    const sqlStep = (step: StepName, inBranch = false) =>
      new SqlStep(this, { step, ...handlers, ...(inBranch ? {} : { onError }) });

    // The state becomes { plan, steps }: the plan for every later state, and one slot per step.
    // (No ResultPath means "$": the selected result replaces the state. Leaving it out rather than
    // writing "$" also keeps aws-local-stepfunctions, which mishandles an explicit "$", on track.)
    const plan = invokeHandler(this, 'PlanRun', {
      stateName: PLAN_STATE,
      lambdaFunction: planRun,
      callsDataApi: false,
      payload: sfn.TaskInput.fromObject({
        input: sfn.JsonPath.objectAt('$$.Execution.Input'),
        executionName: sfn.JsonPath.stringAt('$$.Execution.Name'),
      }),
      resultSelector: { plan: sfn.JsonPath.objectAt('$'), steps: {} },
    });

    let chain = sfn.Chain.start(plan);
    for (const stage of PIPELINE) {
      if (stage === RUN_LOCK_STEP) {
        // Claim the run lock; while another run holds it, wait as long as the poll says and claim again.
        const claim = sqlStep(stage);
        const claimed = new sfn.Choice(this, 'Claimed', { stateName: `${stage}: claimed?` });
        const wait = new sfn.Wait(this, 'WaitForLock', {
          stateName: `${stage}: wait for the run lock`,
          time: sfn.WaitTime.secondsPath(`${stepStatePath(stage)}.poll.waitSeconds`),
        });
        const next = new sfn.Pass(this, 'LockHeld', { stateName: `${stage}: lock held` });
        // With the lock held, an empty song catalogue is loaded whatever the input said: an
        // incremental run would otherwise match none of its plays. The plan says so from here on,
        // so the song steps run, and the audit records the reload.
        const catalogue = new sfn.Choice(this, 'CatalogueEmpty', {
          stateName: `${stage}: song catalogue empty?`,
        });
        const loadCatalogue = new sfn.Pass(this, 'LoadCatalogue', {
          stateName: CATALOGUE_LOAD_STATE,
          result: sfn.Result.fromBoolean(true),
          resultPath: '$.plan.reloadSongs',
        });
        catalogue
          .when(
            sfn.Condition.booleanEquals(`${stepStatePath(stage)}.poll.catalogueEmpty`, true),
            loadCatalogue.next(next),
          )
          .otherwise(next);
        claimed
          .when(sfn.Condition.booleanEquals(`${stepStatePath(stage)}.poll.claimed`, true), catalogue)
          .otherwise(wait);
        wait.next(claim);
        // The Choice ends no chain, so the flow goes on from the state it leads to once claimed.
        const withClaim = chain.next(claim).next(claimed);
        chain = sfn.Chain.custom(withClaim.startState, [next], next);
        continue;
      }
      if (typeof stage === 'string') {
        chain = chain.next(sqlStep(stage));
        continue;
      }
      // Each branch returns the whole state with its own step filled in; merge the branches' steps.
      const steps = stage
        .slice(1)
        .reduce<unknown>(
          (merged, _step, index) =>
            sfn.JsonPath.jsonMerge(merged, sfn.JsonPath.objectAt(`$[${index + 1}].steps`)),
          sfn.JsonPath.objectAt('$[0].steps'),
        );
      const parallel = new sfn.Parallel(this, stage.join('+'), {
        stateName: stage.join(' + '),
        resultSelector: { plan: sfn.JsonPath.objectAt('$[0].plan'), steps },
      });
      // A branch cannot leave its Parallel, so its errors are caught on the Parallel.
      for (const step of stage) parallel.branch(sqlStep(step, true));
      parallel.addCatch(onError.handler, { errors: [sfn.Errors.ALL], resultPath: onError.resultPath });
      chain = chain.next(parallel);
    }
    chain = chain.next(new sfn.Succeed(this, 'Succeed', { stateName: SUCCEED_STATE }));

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(chain),
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment:
        'Sparkify ETL: create tables, stage (COPY) events and songs, load the star schema, check quality',
      timeout: props.timeout,
      tracingEnabled: true,
      logs: {
        destination: diagnosticLogGroup(this, 'Logs'),
        level: sfn.LogLevel.ERROR,
        includeExecutionData: false,
      },
    });

    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason:
        'ERROR level without execution data keeps SQL results and run data out of the logs; the execution history has the rest.',
    });
    // The CDK grants Lambda invocation on each function and its versions (`<arn>:*`), and X-Ray
    // and CloudWatch Logs delivery on `*`, the only resource those actions take.
    const policy = this.stateMachine.role;
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray and CloudWatch Logs vended delivery actions take only Resource "*".',
    });
    for (const fn of Object.values(props.functions)) {
      const logicalId = Stack.of(this).resolve((fn.node.defaultChild as CfnElement).logicalId) as string;
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: "Invoking a function's qualified ARNs (versions, aliases) of the pipeline's own functions.",
      });
    }
  }
}
