#!/usr/bin/env node
'use strict';
// The `advocacy` command. Runs the compiled sources (npm run build writes dist/).
// Node 22.1+ keeps the compiled code of the modules it loads on disk (its own compile cache in
// the system's temp folder), so a second command skips compiling them again; Node 20 has no
// such cache and goes on without it.
const nodeModule = require('node:module');
if (typeof nodeModule.enableCompileCache === 'function') nodeModule.enableCompileCache();
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
