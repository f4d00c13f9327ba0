// Loaded before @salesforce/source-deploy-retrieve: @salesforce/core otherwise writes a log
// file under ~/.sf on every test run. Its own switch for that is this environment variable.
process.env.SF_DISABLE_LOG_FILE = 'true';

export { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
