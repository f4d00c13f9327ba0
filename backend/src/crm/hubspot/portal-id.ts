// A HubSpot account's data lives in the store under 'hubspot:<account id>', whichever way it
// arrives (a signed card request, a workflow call, an OAuth install or the CLI with PORTAL_ID),
// so the same account always reads and writes the same rows and never another's.

export const hubspotPortalId = (hubId: number | string) => `hubspot:${hubId}`;

export const HUBSPOT_PORTAL_ID = /^hubspot:\d+$/;
