/** Errors of the persistence layer, each with a code from the error catalog and a sentence saying what to do. */
import { ERROR_CODES } from '../errors';

export class StoreError extends Error {
  readonly code = ERROR_CODES.store;
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/** The database cannot be opened, read or written: aws-ir cannot start (or is not ready). */
export class StoreUnavailableError extends Error {
  readonly code = ERROR_CODES.storeUnavailable;
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}
