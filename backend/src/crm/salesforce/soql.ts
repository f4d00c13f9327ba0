import { CrmError } from '../errors';
import { csmRelationship, type SalesforceFieldMap } from './field-map';

// SOQL built from the field map. Ids are validated before they are put in a query.

const present = (fields: Array<string | null>) => fields.filter((f): f is string => !!f);

export function accountFields(map: SalesforceFieldMap): string[] {
  const a = map.account;
  return [
    'Id',
    'Name',
    a.csm,
    `${csmRelationship(a.csm)}.Name`,
    `${csmRelationship(a.csm)}.Email`,
    ...present([a.healthScore, a.previousHealthScore, a.previousHealthDate, a.customerSince, a.usageDepth, a.csat, a.engagement, a.strategic, a.openEscalations, a.renewalDate, a.industry, a.region, a.sizeBand, a.products, a.useCases, a.competitorsReplaced, a.languages]),
  ].filter((f, i, all) => all.indexOf(f) === i);
}

export function contactFields(map: SalesforceFieldMap): string[] {
  const c = map.contact;
  return ['Id', 'AccountId', 'FirstName', 'LastName', 'Title', c.doNotContact, ...present([c.npsScore, c.npsDate, c.seniority])].filter((f, i, all) => all.indexOf(f) === i);
}

/** Accounts with their contacts, in Id order (stable paging). */
export function accountsSoql(map: SalesforceFieldMap, where = ''): string {
  return `SELECT ${accountFields(map).join(', ')}, (SELECT ${contactFields(map).join(', ')} FROM Contacts) FROM Account${where ? ` WHERE ${where}` : ''} ORDER BY Id`;
}

export const SF_ID_SHAPE = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

/** The id, if it can be a Salesforce id; a coded refusal otherwise (the caller's input, not a CRM fault). */
export function sfId(id: string): string {
  if (!SF_ID_SHAPE.test(id)) throw new CrmError('CRM_INVALID_ID', `not a Salesforce id: ${JSON.stringify(id)} (15 or 18 letters and digits)`, { id });
  return id;
}

/**
 * A SOQL dateTime literal (unquoted, UTC, whole seconds) for an ISO time; the time is floored
 * to its second, so `>=` on it reads a superset. Anything that is not a time is refused.
 */
export function soqlDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new CrmError('CRM_REJECTED', `not a time: ${JSON.stringify(iso)}`);
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
