/**
 * Why a live collection stopped, as the error the CLI reports: wrong credentials or permissions
 * need fixing (exit 2); a network failure, a timeout or a 5xx while listing the organisation
 * leaves the scan incomplete (exit 3). The same decision is made on whichever thread collects,
 * and crosses from the collection thread as plain data.
 */
import { InputError } from '../model/index.js';
import { describeError, isCallerSetupError } from '../collectors/aws/errors.js';
import { IncompleteScanError, UsageError } from './errors.js';
import type { CollectionFailure } from './live-protocol.js';

/** The CLI error for an error that stopped the collection (a CLI error already decided is kept). */
export function startFailure(error: unknown): Error {
  if (error instanceof UsageError || error instanceof IncompleteScanError) return error;
  if (error instanceof Error && error.name === 'InputError') return error;
  if (!isCallerSetupError(error)) return new IncompleteScanError(`cannot list the accounts to scan: ${describeError(error)}`);
  return new UsageError(
    `cannot start the AWS scan: ${describeError(error)}`,
    'check the credentials (AWS_PROFILE or --profile), the region and, for --org, that the caller is the management or delegated-administrator account',
    false,
  );
}

/** `error` (from {@link startFailure}) as data for postMessage. */
export function failureData(error: Error): CollectionFailure {
  if (error instanceof InputError) return { name: 'InputError', message: error.message, diagnostics: error.diagnostics };
  if (error instanceof UsageError)
    return {
      name: 'UsageError',
      message: error.message,
      ...(error.suggestion !== undefined ? { suggestion: error.suggestion } : {}),
      pointsAtFlags: error.pointsAtFlags,
    };
  return { name: error.name, message: error.message };
}

/** The error {@link failureData} described, rebuilt on the main thread. */
export function failureError(failure: CollectionFailure): Error {
  switch (failure.name) {
    case 'InputError':
      return new InputError(failure.diagnostics ?? [], failure.message);
    case 'UsageError':
      return new UsageError(failure.message, failure.suggestion, failure.pointsAtFlags);
    case 'IncompleteScanError':
      return new IncompleteScanError(failure.message);
    default:
      return new Error(failure.message);
  }
}
