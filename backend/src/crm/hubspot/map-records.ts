import { seniorityOf } from '../../domain/seniority';
import type { Contact, NpsResponse, Owner } from '../../domain/types';
import type { AccountSignals, Deal } from '../port';
import type { HubSpotFieldMap } from './field-map';

// HubSpot records -> the domain's words. HubSpot returns every property as a string (or null);
// nothing HubSpot-shaped leaves this adapter.

/** A multi-select property's values (HubSpot separates them with semicolons). */
const multi = (v: string | null | undefined) => (v ? v.split(';').map((x) => x.trim()).filter(Boolean) : []);

export interface HsRecord {
  id: string;
  properties: Record<string, string | null | undefined>;
}

const text = (v: string | null | undefined) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const num = (v: string | null | undefined) => {
  const t = text(v);
  return t !== null && Number.isFinite(Number(t)) ? Number(t) : null;
};
const bool = (v: string | null | undefined) => v === 'true';
/** Date properties come as YYYY-MM-DD, datetime ones as ISO or epoch milliseconds. */
const date = (v: string | null | undefined) => {
  const t = text(v);
  if (!t) return null;
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) return t.slice(0, 10);
  if (/^\d{10,}$/.test(t)) return new Date(Number(t)).toISOString().slice(0, 10);
  return null;
};
const prop = (r: HsRecord, name: string | null) => (name ? r.properties[name] : null);

export function toAccountSignals(company: HsRecord, contacts: HsRecord[], owners: Map<string, Owner>, map: HubSpotFieldMap): AccountSignals {
  const a = map.company;
  const c = map.contact;
  const history = [];
  const prevScore = num(prop(company, a.previousHealthScore));
  const prevDate = date(prop(company, a.previousHealthDate));
  if (prevScore !== null && prevDate) history.push({ date: prevDate, score: prevScore });
  const ownerId = text(prop(company, a.owner));
  const domainContacts: Contact[] = [];
  const nps: NpsResponse[] = [];
  for (const k of contacts) {
    const title = text(k.properties.jobtitle);
    domainContacts.push({
      contactId: k.id,
      accountId: company.id,
      firstName: text(k.properties.firstname),
      lastName: text(k.properties.lastname),
      title,
      seniority: seniorityOf(text(prop(k, c.seniority)), title),
      doNotContact: bool(prop(k, c.doNotContact)),
    });
    const score = num(prop(k, c.npsScore));
    const on = date(prop(k, c.npsDate));
    if (score !== null && on) nps.push({ contactId: k.id, date: on, score });
  }
  return {
    account: {
      accountId: company.id,
      name: text(company.properties.name) ?? company.id,
      ownerId,
      healthScore: num(prop(company, a.healthScore)),
      healthHistory: history,
      customerSince: date(prop(company, a.customerSince)),
      usageDepth: num(prop(company, a.usageDepth)),
      csat: num(prop(company, a.csat)),
      engagement: num(prop(company, a.engagement)),
      strategic: bool(prop(company, a.strategic)),
      openEscalations: num(prop(company, a.openEscalations)) ?? 0,
      renewalDate: date(prop(company, a.renewalDate)),
      industry: text(prop(company, a.industry)),
      region: text(prop(company, a.region)),
      sizeBand: text(prop(company, a.sizeBand)),
      products: multi(prop(company, a.products)),
      useCases: multi(prop(company, a.useCases)),
      competitorsReplaced: multi(prop(company, a.competitorsReplaced)),
      languages: multi(prop(company, a.languages)),
    },
    contacts: domainContacts,
    npsResponses: nps,
    owner: ownerId ? (owners.get(ownerId) ?? { ownerId, name: ownerId, email: null }) : null,
  };
}

export function toDeal(deal: HsRecord, companyId: string | null, company: HsRecord | null, map: HubSpotFieldMap): Deal {
  const p = deal.properties;
  const stageName = text(p.dealstage);
  const stage: Deal['stage'] =
    p.hs_is_closed_won === 'true' || (stageName && map.deal.wonStages.includes(stageName))
      ? 'won'
      : (p.hs_is_closed === 'true' && p.hs_is_closed_won !== 'true') || (stageName && map.deal.lostStages.includes(stageName))
        ? 'lost'
        : 'open';
  const a = map.company;
  return {
    dealId: deal.id,
    name: text(p.dealname) ?? deal.id,
    accountId: companyId,
    ownerId: text(p.hubspot_owner_id),
    amount: num(p.amount),
    stage,
    closeDate: date(p.closedate),
    industry: company ? text(prop(company, a.industry)) : null,
    region: company ? text(prop(company, a.region)) : null,
    sizeBand: company ? text(prop(company, a.sizeBand)) : null,
    products: [],
  };
}
