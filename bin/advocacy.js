#!/usr/bin/env node
'use strict';
// The `advocacy` command. Runs the compiled sources (npm run build writes dist/).
const { run } = require('../dist/backend/src/cli/main.js');

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 1;
  },
);
