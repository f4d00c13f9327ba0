// What c/advocacyLabels gives the components in an org: each custom label's value. Read from
// the package's own CustomLabels file, so a test sees the words a user sees.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const file = join(__dirname, '../../../objects/sfdx/force-app/main/default/labels/CustomLabels.labels-meta.xml');
const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const LABELS = {};
for (const [, body] of readFileSync(file, 'utf8').matchAll(/<labels>([\s\S]*?)<\/labels>/g)) {
    LABELS[/<fullName>([^<]*)<\/fullName>/.exec(body)[1]] = unescape(/<value>([\s\S]*?)<\/value>/.exec(body)[1]);
}

module.exports = { LABELS };
