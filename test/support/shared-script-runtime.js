/**
 * jest's runtime, with each module's compiled script kept for the worker's life and run again in the next
 * test file's context. jest gives every test file fresh module instances, which it should: no state leaks
 * between files. But it also compiled every module again for every file (vm.compileFunction has no cache),
 * and the AWS SDK, Bolt and the product are several megabytes of JavaScript that most files load: a third
 * of the unit suites' time went to compiling the same sources again. A vm.Script can run in any number of
 * contexts, each run making new module instances from the same bytecode, so isolation is unchanged.
 *
 * jest 30 compiles in an internal ModuleExecutor (`runtime.executor.compile`); should a later jest move it,
 * this runtime notices nothing to wrap and jest compiles as it always did, only slower.
 */
const vm = require('node:vm');
const Runtime = require('jest-runtime').default;
const { collectBetweenFiles, exitWithoutTeardown } = require('./worker-memory');
const { retireEarlierFilesStorages } = require('./async-storage-per-file');

exitWithoutTeardown();

/** filename -> the script compiled from its transformed source (one worker runs one test file at a time). */
const scripts = new Map();
/** The executor of the test file running now: dynamic import() from a shared script goes through it. */
let current;

class SharedScriptRuntime extends Runtime {
  constructor(...args) {
    retireEarlierFilesStorages();
    collectBetweenFiles();
    super(...args);
    const executor = this.executor;
    if (typeof executor?.compile !== 'function') return;
    current = executor;
    const compile = executor.compile.bind(executor);
    executor.compile = (source, filename) => {
      // Node's own modules (jest-nodejs-core-*) and anything jest handles specially keep jest's path.
      if (executor.resolution.isCoreModule(filename)) return compile(source, filename);
      const context = executor.environment.getVmContext();
      if (context == null) return null;
      let entry = scripts.get(filename);
      if (entry?.source !== source) {
        let script;
        try {
          script = new vm.Script(`(function (${executor.injectedModuleParameters.join(', ')}) {${source}\n})`, {
            filename,
            importModuleDynamically: (specifier, _script, attributes, phase) =>
              current.dynamicImport(specifier, filename, current.environment.getVmContext(), attributes, phase),
          });
        } catch {
          // A syntax error: jest's compile reports it (with its ESM hint) as it would have.
          return compile(source, filename);
        }
        entry = { source, script };
        scripts.set(filename, entry);
      }
      return entry.script.runInContext(context);
    };
  }
}

module.exports = SharedScriptRuntime;
