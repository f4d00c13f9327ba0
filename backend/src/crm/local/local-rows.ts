import type { Account, Contact, NpsResponse, Owner, Seniority } from '../../domain/types';
import type { Deal } from '../port';

// Row <-> domain mapping for the embedded CRM tables.

export interface AccountRow {
  account_id: string;
  name: string;
  owner_id: string | null;
  health_score: number | null;
  customer_since: string | null;
  usage_depth: number | null;
  csat: number | null;
  engagement: number | null;
  strategic: boolean;
  open_escalations: number;
  renewal_date: string | null;
  industry: string | null;
  region: string | null;
  size_band: string | null;
  products: string[];
  use_cases: string[];
  competitors_replaced: string[];
  languages: string[];
}

export const accountFromRow = (r: AccountRow, history: Account['healthHistory']): Account => ({
  accountId: r.account_id,
  name: r.name,
  ownerId: r.owner_id,
  healthScore: r.health_score,
  healthHistory: history,
  customerSince: r.customer_since,
  usageDepth: r.usage_depth,
  csat: r.csat,
  engagement: r.engagement,
  strategic: r.strategic,
  openEscalations: r.open_escalations,
  renewalDate: r.renewal_date,
  industry: r.industry,
  region: r.region,
  sizeBand: r.size_band,
  products: r.products ?? [],
  useCases: r.use_cases ?? [],
  competitorsReplaced: r.competitors_replaced ?? [],
  languages: r.languages ?? [],
});

export interface ContactRow {
  contact_id: string;
  account_id: string;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  seniority: Seniority | null;
  do_not_contact: boolean;
}

export const contactFromRow = (r: ContactRow): Contact => ({
  contactId: r.contact_id,
  accountId: r.account_id,
  firstName: r.first_name,
  lastName: r.last_name,
  title: r.title,
  seniority: r.seniority,
  doNotContact: r.do_not_contact,
});

export interface NpsRow {
  contact_id: string;
  account_id: string;
  date: string;
  score: number;
}

export const npsFromRow = (r: NpsRow): NpsResponse => ({ contactId: r.contact_id, date: r.date, score: r.score });

export interface OwnerRow {
  owner_id: string;
  name: string;
  email: string | null;
}

export const ownerFromRow = (r: OwnerRow): Owner => ({ ownerId: r.owner_id, name: r.name, email: r.email });

export interface DealRow {
  deal_id: string;
  name: string;
  account_id: string | null;
  owner_id: string | null;
  amount: number | null;
  stage: Deal['stage'];
  close_date: string | null;
  industry: string | null;
  region: string | null;
  size_band: string | null;
  products: string[];
}

export const dealFromRow = (r: DealRow): Deal => ({
  dealId: r.deal_id,
  name: r.name,
  accountId: r.account_id,
  ownerId: r.owner_id,
  amount: r.amount,
  stage: r.stage,
  closeDate: r.close_date,
  industry: r.industry,
  region: r.region,
  sizeBand: r.size_band,
  products: r.products ?? [],
});
