import { seniorityOf } from '../../domain/seniority';
import type { Contact, NpsResponse } from '../../domain/types';
import type { AccountSignals } from '../port';
import { csmRelationship, type SalesforceFieldMap } from './field-map';

// Salesforce records -> the domain's words. Nothing Salesforce-shaped leaves this adapter.

export type SfRecord = Record<string, unknown> & { Id: string; attributes?: unknown };

const get = (r: Record<string, unknown>, path: string | null): unknown => {
  if (!path) return null;
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : null), r) ?? null;
};
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : null);
const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const date = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : null);
const bool = (v: unknown) => v === true || v === 'true';

/** A multi-select picklist's values (Salesforce separates them with semicolons). */
const multi = (v: unknown) => (typeof v === 'string' && v ? v.split(';').map((x) => x.trim()).filter(Boolean) : []);

export function toAccountSignals(r: SfRecord, contacts: SfRecord[], map: SalesforceFieldMap): AccountSignals {
  const a = map.account;
  const c = map.contact;
  const health = num(get(r, a.healthScore));
  const history = [];
  const prevScore = num(get(r, a.previousHealthScore));
  const prevDate = date(get(r, a.previousHealthDate));
  if (prevScore !== null && prevDate) history.push({ date: prevDate, score: prevScore });
  const csmId = str(get(r, a.csm));
  const rel = csmRelationship(a.csm);
  const products = str(get(r, a.products));
  const domainContacts: Contact[] = [];
  const nps: NpsResponse[] = [];
  for (const k of contacts) {
    const title = str(k.Title);
    domainContacts.push({
      contactId: k.Id,
      accountId: r.Id,
      firstName: str(k.FirstName),
      lastName: str(k.LastName),
      title,
      seniority: seniorityOf(str(get(k, c.seniority)), title),
      doNotContact: bool(get(k, c.doNotContact)),
    });
    const score = num(get(k, c.npsScore));
    const on = date(get(k, c.npsDate));
    if (score !== null && on) nps.push({ contactId: k.Id, date: on, score });
  }
  return {
    account: {
      accountId: r.Id,
      name: str(r.Name) ?? r.Id,
      ownerId: csmId,
      healthScore: health,
      healthHistory: history,
      customerSince: date(get(r, a.customerSince)),
      usageDepth: num(get(r, a.usageDepth)),
      csat: num(get(r, a.csat)),
      engagement: num(get(r, a.engagement)),
      strategic: bool(get(r, a.strategic)),
      openEscalations: num(get(r, a.openEscalations)) ?? 0,
      renewalDate: date(get(r, a.renewalDate)),
      industry: str(get(r, a.industry)),
      region: str(get(r, a.region)),
      sizeBand: str(get(r, a.sizeBand)),
      products: products ? products.split(/[;,]/).map((p) => p.trim()).filter(Boolean) : [],
      useCases: multi(get(r, a.useCases)),
      competitorsReplaced: multi(get(r, a.competitorsReplaced)),
      languages: multi(get(r, a.languages)),
    },
    contacts: domainContacts,
    npsResponses: nps,
    owner: csmId ? { ownerId: csmId, name: str(get(r, `${rel}.Name`)) ?? csmId, email: str(get(r, `${rel}.Email`)) } : null,
  };
}
