/**
 * `npm run bench:trials`: the heavy versions of trials the test suite runs small (the whole AWS CLI
 * sweep, 8×1,000 fuzz mutants), with the same assertions, one file at a time so each has the machine.
 * @type {import('jest').Config}
 */
const base = require('../../jest.config.js');

module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/bench/trials'],
  testMatch: ['**/*.trial.ts'],
  testTimeout: 600_000,
  maxWorkers: 1,
};
