/**
 * Why a database file could not be opened, read or written, as one sentence an operator can act on
 * (start-up prints it instead of a stack trace).
 */
import { StoreError, StoreUnavailableError } from './store-errors';

function codeOf(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  return typeof code === 'string' ? code : '';
}

export function storeUnavailable(dbPath: string, err: unknown): Error {
  if (err instanceof StoreError || err instanceof StoreUnavailableError) return err;
  const code = codeOf(err);
  const where = `The database ${dbPath} (AWS_IR_DB_PATH)`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new StoreUnavailableError(
      `${where} cannot be created here (permission denied): give aws-ir's user write access to its folder, or set AWS_IR_DB_PATH to a writable place.`,
    );
  if (code === 'ENOTDIR' || code === 'EEXIST')
    return new StoreUnavailableError(`${where} cannot be created: part of its folder path is a file; set AWS_IR_DB_PATH to a file in a folder.`);
  if (code.startsWith('SQLITE_READONLY'))
    return new StoreUnavailableError(
      `${where} is read-only for aws-ir: give its user write access to the file and its folder, or set AWS_IR_DB_PATH to a writable file.`,
    );
  if (code.startsWith('SQLITE_CANTOPEN'))
    return new StoreUnavailableError(`${where} cannot be opened: check that it is a file (not a folder) that aws-ir's user may read and write.`);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
    return new StoreUnavailableError(
      `${where} is not an aws-ir database or is damaged: point AWS_IR_DB_PATH to the right file, or move this one away to start a new one.`,
    );
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new StoreUnavailableError(`${where} is locked by another program: stop it or wait, then start aws-ir again.`);
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC') return new StoreUnavailableError(`${where} cannot be written: the disk is full.`);
  return new StoreUnavailableError(`${where} cannot be opened (${code || 'unknown error'}); check the file and its permissions.`);
}
