import { resolveString, type CfnTemplate, type PhysicalValues } from './intrinsics';

/** An AWS SDK call the CDK's AwsCustomResource (`Custom::AWS`) makes when the stack is created. */
export interface SdkCall {
  readonly service?: string;
  readonly action?: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** The `Create` call of one `Custom::AWS` resource, its values resolved. */
export function sdkCallOf(template: CfnTemplate, physical: PhysicalValues, logicalId: string): SdkCall {
  const create = template.Resources[logicalId]?.Properties?.Create;
  return JSON.parse(resolveString(create, physical, `${logicalId}.Create`)) as SdkCall;
}

/** Every `Custom::AWS` resource's `Create` call. */
export function sdkCalls(
  template: CfnTemplate,
  physical: PhysicalValues,
): { logicalId: string; call: SdkCall }[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'Custom::AWS' && resource.Properties?.Create !== undefined)
    .map(([logicalId]) => ({ logicalId, call: sdkCallOf(template, physical, logicalId) }));
}
