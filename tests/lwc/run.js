#!/usr/bin/env node
// Runs the Lightning components' tests (npm test runs it after the root's jest, as `posttest`):
// the jest that @salesforce/sfdx-lwc-jest ships, started in objects/sfdx (its resolver finds
// `c/...` modules through the sfdx-project.json in the working directory), with
// tests/lwc/jest.config.js. Extra arguments go to jest.
const { spawnSync } = require('node:child_process');
const { dirname, join } = require('node:path');

const root = join(__dirname, '..', '..');
const preset = dirname(require.resolve('@salesforce/sfdx-lwc-jest/package.json'));
// The jest the preset depends on (as sfdx-lwc-jest's own runner finds it): its package.json, then its bin.
const jestPackage = require.resolve('jest/package.json', { paths: [preset] });
const jestBin = join(dirname(jestPackage), require(jestPackage).bin.jest || require(jestPackage).bin);
const result = spawnSync(process.execPath, [jestBin, '--config', join(__dirname, 'jest.config.js'), ...process.argv.slice(2)], { cwd: join(root, 'objects', 'sfdx'), stdio: 'inherit' });
process.exit(result.status === null ? 1 : result.status);
