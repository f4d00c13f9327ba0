// The Lightning components' tests, on Salesforce's own preset (@salesforce/sfdx-lwc-jest: the
// LWC compiler as transformer, its resolver for `c/...` and `lightning/...`, the base
// components' stubs, jsdom), with the jest it ships (29; the root's jest 30 runs everything
// else). Run by tests/lwc/run.js, which starts jest in objects/sfdx, the SFDX project the
// preset's resolver reads (sfdx-project.json).
const { join } = require('node:path');
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
    ...jestConfig,
    rootDir: __dirname,
    roots: ['<rootDir>'],
    testMatch: ['**/*.test.js'],
    moduleNameMapper: {
        // The components read every label through c/advocacyLabels; the tests give them the
        // labels' English values, read from the package's CustomLabels file.
        '^c/advocacyLabels$': join(__dirname, 'support/labels.js')
    },
    collectCoverageFrom: []
};
