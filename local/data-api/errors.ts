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

/** The access key id of the request's signature belongs to no credentials the local STS issued. */
export class UnrecognizedClientException extends DataApiError {
  override readonly name = 'UnrecognizedClientException';
  constructor() {
    super('The security token included in the request is invalid.');
  }
}

/** The request carries no SigV4 Authorization header. */
export class MissingAuthenticationTokenException extends DataApiError {
  override readonly name = 'MissingAuthenticationTokenException';
  constructor() {
    super('Missing Authentication Token', 403);
  }
}

/** IAM denied the call; the message is IAM's "User: … is not authorized to perform: …". */
export class AccessDeniedException extends DataApiError {
  override readonly name = 'AccessDeniedException';
}

/** The SigV4 signature is not the one the access key's secret gives, or is scoped elsewhere. */
export class InvalidSignatureException extends DataApiError {
  override readonly name = 'InvalidSignatureException';
}
