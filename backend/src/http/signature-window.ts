// How old a signed HubSpot request may be, and how long an accepted signature is remembered:
// apart from hubspot-signature.ts so the composition root can size the replay cache without
// loading the HTTP stack (a CLI command never serves a request).

export const MAX_AGE_MS = 5 * 60 * 1000;
/** The replay cache keeps a signature this long: beyond the 5-minute window either way. */
export const REPLAY_TTL_MS = MAX_AGE_MS * 2;
