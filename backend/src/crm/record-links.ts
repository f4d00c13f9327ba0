// The web address of an account's record in its CRM, for links in messages (vendor knowledge,
// so it lives with the CRM adapters). HubSpot: the company record in the portal; Salesforce:
// the Account in Lightning on the org's instance; the embedded CRM has no web page.

export function accountRecordUrl(portalId: string, accountId: string, options: { salesforceInstanceUrl?: string | null } = {}): string | null {
  const hubspot = /^hubspot:(\d+)$/.exec(portalId);
  if (hubspot) return `https://app.hubspot.com/contacts/${hubspot[1]}/record/0-2/${encodeURIComponent(accountId)}`;
  if (portalId.startsWith('salesforce:') && options.salesforceInstanceUrl) return `${options.salesforceInstanceUrl.replace(/\/$/, '')}/lightning/r/Account/${encodeURIComponent(accountId)}/view`;
  return null;
}
