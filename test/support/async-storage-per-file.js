/**
 * Retires the AsyncLocalStorage instances of the test files a jest worker has finished.
 *
 * Every test file loads its own copy of the product, and with it the product's two AsyncLocalStorage
 * instances (the AWS call context and request priority), plus one of jest-circus's. Node 20 keeps every
 * storage ever entered in one process-wide list that each new promise and async resource walks, and drops
 * one only when it is disabled. Forty files into a worker, every promise walked 120 storages: 5% of the
 * suite's CPU, and the old files' stores stayed reachable. A file's storages serve nothing once the next file
 * starts, so they are disabled then.
 */
const asyncHooks = require('node:async_hooks');

/** Storages made since the running file started. */
let made = [];

class TrackedAsyncLocalStorage extends asyncHooks.AsyncLocalStorage {
  constructor(...args) {
    super(...args);
    made.push(new WeakRef(this));
  }
}
asyncHooks.AsyncLocalStorage = TrackedAsyncLocalStorage;

/** Called as a test file starts: the earlier files' storages leave the process-wide list. */
function retireEarlierFilesStorages() {
  for (const ref of made) ref.deref()?.disable();
  made = [];
}

module.exports = { retireEarlierFilesStorages };
