/** Makes every CDK synth in this process answer a template seen before from the disk cache. */
export declare function cacheCloudFormationValidation(root: string): void;
/** What CDK needs of an engine of @aws/cloudformation-validate. */
export interface ValidationEngine {
  validateTemplate(template: { readBytes(): Uint8Array }, options: object): unknown;
  free(): void;
}
/** An engine that answers from `cache` and builds the validator's own only for a template it lacks. */
export declare function cachingEngine(
  validator: () => {
    version(): string;
    CompositeEngine: new (config: object) => ValidationEngine;
  },
  cache: string,
): new (config: object) => ValidationEngine;
