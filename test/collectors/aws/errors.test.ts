import {
  CredentialReportNotPresentException,
  IAMServiceException,
  LimitExceededException,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import {
  AccessDeniedException,
  AWSOrganizationsNotInUseException,
  OrganizationsServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-organizations';
import { STSServiceException } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { errorCode, hasCode, isAccessDenied, isThrottling } from '../../../src/collectors/aws/errors.js';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
/** An unmodelled Query error as the SDK builds it: a generic ServiceException named after the code, with Code and Type. */
const queryError = (code: string, status: number) =>
  Object.assign(new IAMServiceException({ name: code, $fault: 'client', message: code, ...meta(status) }), { Code: code, Type: 'Sender' });

describe('AWS error classification, as the SDK deserialises real responses', () => {
  it.each([
    ['IAM Throttling 400 (unmodelled)', queryError('Throttling', 400)],
    ['STS Throttling', new STSServiceException({ name: 'Throttling', $fault: 'client', message: 'Rate exceeded', ...meta(400) })],
    ['IAM LimitExceeded 409', Object.assign(new LimitExceededException({ message: 'quota', ...meta(409) }), { Code: 'LimitExceeded' })],
    ['Organizations TooManyRequestsException 429', new TooManyRequestsException({ message: 'slow down', ...meta(429) })],
    [
      'Organizations ThrottlingException (unmodelled)',
      new OrganizationsServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'x', ...meta(400) }),
    ],
    ['RequestLimitExceeded', queryError('RequestLimitExceeded', 503)],
    [
      'LimitExceededException',
      new OrganizationsServiceException({ name: 'LimitExceededException', $fault: 'client', message: 'x', ...meta(400) }),
    ],
  ])('%s is throttling', (_what, error) => expect(isThrottling(error)).toBe(true));

  it.each([
    ['ServiceFailure 500', Object.assign(new ServiceFailureException({ message: 'failure', ...meta(500) }), { Code: 'ServiceFailure' })],
    ['AccessDenied', queryError('AccessDenied', 403)],
    ['a plain Error', new Error('boom')],
  ])('%s is not throttling', (_what, error) => expect(isThrottling(error)).toBe(false));

  it('recognises AccessDenied from STS/IAM (Query) and AccessDeniedException from Organizations (JSON)', () => {
    expect(
      isAccessDenied(
        new STSServiceException({
          name: 'AccessDenied',
          $fault: 'client',
          message: 'not authorized to perform: sts:AssumeRole',
          ...meta(403),
        }),
      ),
    ).toBe(true);
    expect(isAccessDenied(new AccessDeniedException({ message: 'no', ...meta(403) }))).toBe(true);
    expect(isAccessDenied(new AWSOrganizationsNotInUseException({ message: 'no org', ...meta(404) }))).toBe(false);
  });

  it('matches a code under its wire spelling (Code) or the SDK class name', () => {
    const modelled = Object.assign(new CredentialReportNotPresentException({ message: 'absent', ...meta(410) }), {
      Code: 'ReportNotPresent',
    });
    expect(errorCode(modelled)).toBe('ReportNotPresent');
    expect(hasCode(modelled, new Set(['CredentialReportNotPresentException']))).toBe(true);
    expect(hasCode(modelled, new Set(['ReportNotPresent']))).toBe(true);
    // Thrown by hand (aws-sdk-client-mock), without Code.
    expect(
      hasCode(
        new CredentialReportNotPresentException({ message: 'absent', ...meta(410) }),
        new Set(['CredentialReportNotPresentException']),
      ),
    ).toBe(true);
    expect(hasCode(new Error('x'), new Set(['Error']))).toBe(false);
  });
});
