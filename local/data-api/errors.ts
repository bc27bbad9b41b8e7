/**
 * The Data API's client errors. `name` is the wire `__type`, which the SDK turns back into its own
 * exception class of the same name (ValidationException, ResourceNotFoundException, …).
 */
export abstract class DataApiError extends Error {
  abstract override readonly name: string;
  /** Members the error shape models besides Message (ResourceNotFoundException has ResourceId). */
  readonly members: Readonly<Record<string, string>> = {};

  constructor(
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
  }
}

export class ValidationException extends DataApiError {
  override readonly name = 'ValidationException';
}

export class ResourceNotFoundException extends DataApiError {
  override readonly name = 'ResourceNotFoundException';
  override readonly members: Readonly<Record<string, string>>;

  constructor(resourceId: string) {
    super('Query does not exist.');
    this.members = { ResourceId: resourceId };
  }
}

export class ActiveStatementsExceededException extends DataApiError {
  override readonly name = 'ActiveStatementsExceededException';
}

/** Not a Data API operation, or not one served locally: the SDK raises a generic service error. */
export class UnknownOperationException extends DataApiError {
  override readonly name = 'UnknownOperationException';
}

/** The body is not a JSON object. */
export class SerializationException extends DataApiError {
  override readonly name = 'SerializationException';
}
