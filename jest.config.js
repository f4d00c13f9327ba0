/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    // useESM: ts-jest emits whatever module kind jest asks for. @hubspot/ui-extensions is an ESM
    // package ("type": "module"): on Node 20/22 jest loads it through its CommonJS path and asks
    // for CommonJS; on Node 24.9+ jest 30 require()s ESM natively (vm.SourceTextModule) and asks
    // for ESM. Compiling it to CommonJS there is what failed with "exports is not defined".
    '^.+\\.(t|j)sx?$': ['ts-jest', { tsconfig: { allowJs: true, jsx: 'react-jsx', esModuleInterop: true, isolatedModules: true, module: 'commonjs' }, diagnostics: false, useESM: true }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@hubspot/ui-extensions|tinyspy)/)'],
  // A per-test ceiling against hangs, not a timing check: e2e tests start real processes (PGlite,
  // workers, the CLI), which on a loaded 2-core runner took 60-70 s where they take 12 s alone.
  testTimeout: 180000,
  // Jest's default is one worker fewer than the cores, which on a 2-core machine is one worker
  // for the whole suite while the main process waits; a worker per core runs twice the files at
  // once (engineers running a few files pass -i, which still runs them in one process).
  maxWorkers: '100%',
};
