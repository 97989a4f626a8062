/** A service error the sandbox answers with, in the code and HTTP status AWS uses. */
export class ServiceError extends Error {
  constructor(
    /** Error code, e.g. ReportNotPresent (Query) or AccessDeniedException (JSON). */
    readonly code: string,
    /** HTTP status, e.g. 410. */
    readonly status: number,
    message: string,
    /** Query protocol fault type: Sender for client errors, Receiver for server errors. */
    readonly type: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** Common IAM/STS (Query protocol) errors with their real codes and statuses. */
export const queryErrors = {
  accessDenied: (message: string) => new ServiceError('AccessDenied', 403, message),
  throttling: () => new ServiceError('Throttling', 400, 'Rate exceeded'),
  serviceFailure: () =>
    new ServiceError('ServiceFailure', 500, 'Request processing has failed due to some unknown error, exception or failure.'),
  invalidClientTokenId: () => new ServiceError('InvalidClientTokenId', 403, 'The security token included in the request is invalid.'),
  missingAuthentication: () => new ServiceError('MissingAuthenticationToken', 403, 'Request is missing Authentication Token'),
  signatureDoesNotMatch: () =>
    new ServiceError(
      'SignatureDoesNotMatch',
      403,
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    ),
  incompleteSignature: () => new ServiceError('IncompleteSignature', 400, 'The request signature does not conform to AWS standards.'),
  expiredToken: () => new ServiceError('ExpiredToken', 403, 'The security token included in the request is expired'),
  validation: (message: string) => new ServiceError('ValidationError', 400, message),
  invalidAction: (action: string) => new ServiceError('InvalidAction', 400, `Could not find operation ${action}`),
};

/**
 * Common Organizations (JSON 1.1) errors. Organizations answers every client error with HTTP 400,
 * even where its service model declares 403, 404 or 429 (AccessDeniedException,
 * AWSOrganizationsNotInUseException, TooManyRequestsException): clients must go by `__type`.
 */
export const jsonErrors = {
  accessDenied: () => new ServiceError('AccessDeniedException', 400, "You don't have permissions to access this resource."),
  throttling: () =>
    new ServiceError(
      'TooManyRequestsException',
      400,
      "AWS Organizations can't complete your request because another request is already in progress or you sent too many requests. Try again later.",
    ),
  serviceFailure: () =>
    new ServiceError(
      'ServiceException',
      500,
      "AWS Organizations can't complete your request because of an internal service error. Try again later.",
    ),
  unrecognizedClient: () => new ServiceError('UnrecognizedClientException', 400, 'The security token included in the request is invalid.'),
  missingAuthentication: () => new ServiceError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token'),
  invalidSignature: () =>
    new ServiceError(
      'InvalidSignatureException',
      400,
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    ),
  incompleteSignature: () =>
    new ServiceError('IncompleteSignatureException', 400, 'The request signature does not conform to AWS standards.'),
  expiredToken: () => new ServiceError('ExpiredTokenException', 400, 'The security token included in the request is expired'),
  invalidInput: (message: string) => new ServiceError('InvalidInputException', 400, message),
  unknownOperation: () => new ServiceError('UnknownOperationException', 400, 'Unknown operation'),
  clientError: (code: string, message: string) => new ServiceError(code, 400, message),
};
