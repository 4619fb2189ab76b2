/**
 * A jest worker's memory: kept near what the running file holds live, and not torn down piece by piece at exit.
 *
 * jest gives a worker 500 ms to exit once every file has run, then kills it and reports a leak. These workers
 * leave no handle open ('exit' fires 1-5 ms after jest's end message), yet they were killed: Node's teardown
 * after a natural exit frees the heap object by object, and with V8 letting old space grow to about 1 GB of
 * earlier files' garbage that took 450-700 ms on this 2-core machine with three workers ending at once. So
 *  - between files, garbage above a bound is collected (a file's live heap here is 130-260 MB), which also
 *    keeps three workers from holding 3 GB;
 *  - the worker ends as process.exit() ends a program, leaving the memory to the operating system
 *    (measured with a 440 MB worker: 100-200 ms instead of 400-500 ms).
 * A test that does leak a handle (a server, a socket, a timer) still keeps its worker from reaching 'exit',
 * and jest still reports it.
 */
const v8 = require('node:v8');
const vm = require('node:vm');

/** Between files, a heap above this is collected... */
const BOUND_BYTES = 256 * 1024 * 1024;
/** ...or above twice what the last collection kept, so a worker whose live heap nears the bound does not collect after every file. */
let bound = BOUND_BYTES;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

/** Called as a test file starts, before it loads anything. */
function collectBetweenFiles() {
  if (process.memoryUsage().heapUsed <= bound) return;
  gc();
  bound = Math.max(BOUND_BYTES, 2 * process.memoryUsage().heapUsed);
}

/** Once per worker process: the event loop has emptied, every result is sent; end without Node's teardown. */
function exitWithoutTeardown() {
  process.once('exit', (code) => process.exit(code));
}

module.exports = { collectBetweenFiles, exitWithoutTeardown };
