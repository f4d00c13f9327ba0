// Helpers for the Lightning components' tests: the backend's recorded answers, the failures the
// Apex controller throws, and reading the rendered component.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

/** A fresh copy of a recorded backend answer (tests/lwc/fixtures/<name>.json). */
function fixture(name) {
    return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', `${name}.json`), 'utf8'));
}

/** What AdvocacyUiController throws: an AuraHandledException whose message is {status, code, message}. */
function apexError(status, code, message) {
    return { body: { message: JSON.stringify({ status, code, message }) }, status: 500, statusText: 'Server Error' };
}

/** Lets the component's promises settle and re-render. */
async function flush() {
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
}

const query = (el, selector) => el.shadowRoot.querySelector(selector);
const queryAll = (el, selector) => Array.from(el.shadowRoot.querySelectorAll(selector));
const text = (el, selector) => {
    const found = query(el, selector);
    if (!found) throw new Error(`nothing matches ${selector}`);
    return found.textContent.trim();
};

/** Types into a base input (lightning-input, -textarea, -combobox): sets its value and fires change. */
function type(el, selector, value) {
    const input = typeof selector === 'string' ? query(el, selector) : selector;
    if (!input) throw new Error(`nothing matches ${selector}`);
    input.value = value;
    input.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

module.exports = { apexError, fixture, flush, query, queryAll, text, type };
