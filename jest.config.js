/**
 * Every suite of the repository in one run: the product's (test/) and each package's (packages/X/test).
 * The product reaches the packages through their public API, mapped here to their sources so no build
 * is needed first.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/packages/aws-sandbox/test', '<rootDir>/packages/slack-standin/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  moduleNameMapper: {
    '^@aws-ir/aws-sandbox$': '<rootDir>/packages/aws-sandbox/src/index.ts',
    '^@aws-ir/slack-standin$': '<rootDir>/packages/slack-standin/src/index.ts',
  },
  // Transpile only, with SWC (a native transpiler, several times faster than TypeScript's own on a cold
  // cache): type errors are caught once by `npm run typecheck`, which runs before jest in `npm test`. No
  // source maps: SWC keeps every line where it was (a failure points at the right line), and reading the
  // inline maps back cost about a sixth of the unit suites' CPU.
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' }, sourceMaps: false }],
  },
  // Each module is compiled once per worker and run again in every test file's own context
  // (test/support/shared-script-runtime.js): about a third of the unit suites' time was recompiling.
  runtime: '<rootDir>/test/support/shared-script-runtime.js',
  testTimeout: 30000,
  // Three workers on the 2-core machine: the suites that drive other processes (replicas, the fuzzed app, the
  // browser, the AWS CLI) spend much of their time waiting on them, so a third worker fills the idle core
  // (the whole suite: 78 s with three, 90 s with two).
  maxWorkers: 3,
  // No workerGracefulExitTimeout: every worker exits by itself. DuckDB (whose native addon keeps the process
  // that loads it alive) runs only in the sandbox's Athena engine process, which the sandbox's close() ends
  // (packages/aws-sandbox/src/athena-engine/).
};
