// One rule for the ids a person types or a file carries (accounts, contacts, asks, consents,
// deals, owners): the HTTP routes accept exactly these, and an import refuses any other, so
// nothing is stored that no URL can address. ASCII only: a look-alike letter from another
// script (Cyrillic "а" for "a") would make two ids that read the same.

export const ID_MAX_LENGTH = 128;
export const ID_PATTERN = /^[A-Za-z0-9_.:@-]+$/;
export const ID_RULE = `an id of 1-${ID_MAX_LENGTH} letters, digits and _ . : @ - (no spaces, no /, ASCII only)`;

export function isValidId(value: string): boolean {
  return value.length >= 1 && value.length <= ID_MAX_LENGTH && ID_PATTERN.test(value);
}
