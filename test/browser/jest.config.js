// Browser tests of the console UI: real built server, real Chromium. Run with `npm run test:browser`
// after `npm run build:test && npm run build:ui` (npm test does all of it).
'use strict';
const { join } = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: join(__dirname, '../..'),
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // Halo's API client ships ES modules only.
  transformIgnorePatterns: ['/node_modules/(?!@halo-dev/api-client/)'],
  // Two cores on CI: one browser and one server at a time.
  maxWorkers: 1,
  testTimeout: 60_000,
  slowTestThreshold: 30,
};
