import { plusDays, plusMonths } from '../domain/calendar';
import { PUBLISHING_ASK_TYPES, type AskStatus, type AskType, type Contact, type IsoDate, type Seniority } from '../domain/types';
import type { StoredAsk } from '../store/asks-repo';
import { emptyDataset, type Dataset } from '../import/dataset';
import { rng, type Rng } from './prng';

// A deterministic, realistic demo portfolio: companies with owners, health history, NPS
// history, tenure, usage, CSAT, champion titles, strategic flags, escalations, renewals, prior
// asks with outcomes and consents, and deals. Generated account by account from (seed, index),
// so any slice can be produced on its own: the benchmarks stream 100,000 accounts in chunks.

const PREFIX = ['North', 'Blue', 'Bright', 'Iron', 'Silver', 'Clear', 'Summit', 'Harbor', 'Pine', 'Cedar', 'Atlas', 'Nova', 'Vertex', 'Lumen', 'Quartz', 'Orbit', 'Crest', 'Maple', 'Falcon', 'Delta'];
const SUFFIX = ['wind', 'field', 'stone', 'bridge', 'point', 'works', 'line', 'gate', 'path', 'ridge', 'wave', 'light', 'leaf', 'peak', 'port'];
const KIND: Record<string, string[]> = {
  FinTech: ['Payments', 'Capital', 'Ledger', 'Pay'],
  Healthcare: ['Health', 'Clinics', 'Care', 'Medical'],
  SaaS: ['Software', 'Cloud', 'Labs', 'Systems'],
  Retail: ['Retail', 'Goods', 'Market', 'Stores'],
  Manufacturing: ['Manufacturing', 'Industries', 'Fabrication', 'Metals'],
  Education: ['Learning', 'Academy', 'Education', 'Schools'],
  Logistics: ['Logistics', 'Freight', 'Shipping', 'Transport'],
};
const INDUSTRIES = Object.keys(KIND);
const REGIONS = ['NA', 'NA', 'EMEA', 'EMEA', 'APAC', 'LATAM'] as const;
const SIZE_BANDS = ['smb', 'smb', 'mid-market', 'mid-market', 'enterprise'] as const;
const PRODUCTS = ['core', 'analytics', 'automation', 'integrations'];
const FIRST = ['Dana', 'Priya', 'Marcus', 'Elena', 'Tomás', 'Aisha', 'Kenji', 'Sofia', 'Liam', 'Noor', 'Grace', 'Mateo', 'Hannah', 'Omar', 'Yuki', 'Fatima', 'Lucas', 'Chloe', 'Ravi', 'Ingrid'];
const LAST = ['Reyes', 'Patel', 'Okafor', 'Novak', 'García', 'Khan', 'Tanaka', 'Rossi', 'Murphy', 'Haddad', 'Chen', 'Silva', 'Weber', 'Nakamura', 'Johansson', 'Adeyemi', 'Kowalski', 'Dubois', 'Iyer', 'Larsen'];
const TITLES: Array<[string, Seniority]> = [
  ['Operations Analyst', 'individual'],
  ['Senior Engineer', 'individual'],
  ['Customer Operations Manager', 'manager'],
  ['Engineering Manager', 'manager'],
  ['Director of Operations', 'director'],
  ['Director of Customer Experience', 'director'],
  ['VP Engineering', 'vp'],
  ['VP Customer Success', 'vp'],
  ['Chief Operating Officer', 'c_level'],
  ['Chief Technology Officer', 'c_level'],
];
const CSM_NAMES = ['Avery Brooks', 'Jordan Lee', 'Sam Okoro', 'Riley Chen', 'Morgan Diaz', 'Casey Nguyen', 'Taylor Singh', 'Jamie Fischer'];

export interface PortfolioOptions {
  seed: number;
  accounts: number;
  asOf: IsoDate;
  /** First account index of this chunk (for streaming large portfolios). */
  from?: number;
  /** How many accounts in this chunk; defaults to all. */
  count?: number;
}

const pad = (n: number) => String(n).padStart(6, '0');
const at = (day: IsoDate, hour = 10) => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;

function ownerCount(accounts: number) {
  return Math.max(CSM_NAMES.length, Math.ceil(accounts / 40));
}

function ownerName(i: number) {
  const base = CSM_NAMES[i % CSM_NAMES.length];
  return i < CSM_NAMES.length ? base : `${base} ${Math.floor(i / CSM_NAMES.length) + 1}`;
}

/** Health around a level, per month for the last six months; sometimes a sharp recent drop. */
function healthSeries(r: Rng, asOf: IsoDate, level: number, drop: boolean) {
  const points: Array<{ date: IsoDate; score: number }> = [];
  for (let m = 5; m >= 1; m--) {
    points.push({ date: plusMonths(asOf, -m), score: clamp(level + r.int(-4, 4) + (drop ? 20 : 0)) });
  }
  points.push({ date: plusDays(asOf, -r.int(1, 10)), score: clamp(level) });
  return points;
}

const clamp = (n: number) => Math.max(0, Math.min(100, Math.round(n)));

export function generatePortfolio(options: PortfolioOptions): Dataset {
  const ds = emptyDataset();
  const from = options.from ?? 0;
  const count = options.count ?? options.accounts - from;
  const owners = ownerCount(options.accounts);
  if (from === 0) {
    for (let o = 0; o < owners; o++) {
      const name = ownerName(o);
      ds.owners.push({ ownerId: `owner-${String(o + 1).padStart(3, '0')}`, name, email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@advocacyloop.example` });
    }
  }
  for (let i = from; i < from + count && i < options.accounts; i++) addAccount(ds, i, owners, options);
  return ds;
}

function addAccount(ds: Dataset, i: number, owners: number, options: PortfolioOptions) {
  const { seed, asOf } = options;
  const r = rng(seed * 1_000_003 + i);
  const accountId = `acc-${pad(i + 1)}`;
  const industry = r.pick(INDUSTRIES);
  const name = `${r.pick(PREFIX)}${r.pick(SUFFIX)} ${r.pick(KIND[industry])}`;
  const roll = r.next();
  const level = roll < 0.5 ? r.int(80, 98) : roll < 0.82 ? r.int(55, 79) : r.int(20, 49);
  const drop = r.chance(0.05);
  const missingHealth = r.chance(0.03);
  const tenureMonths = r.chance(0.12) ? r.int(1, 6) : r.int(7, 72);
  const customerSince = plusMonths(asOf, -tenureMonths);
  const sizeBand = r.pick(SIZE_BANDS);
  const strategic = sizeBand === 'enterprise' ? r.chance(0.3) : r.chance(0.03);

  ds.accounts.push({
    accountId,
    name,
    ownerId: r.chance(0.03) ? null : `owner-${String((i % owners) + 1).padStart(3, '0')}`,
    healthScore: missingHealth ? null : level,
    customerSince,
    usageDepth: r.chance(0.05) ? null : clamp(level - 15 + r.int(-10, 20)),
    csat: r.chance(0.08) ? null : Math.round((3 + (level / 100) * 2 - r.next() * 0.6) * 10) / 10,
    engagement: r.chance(0.1) ? null : r.int(10, 95),
    strategic,
    openEscalations: level < 60 && r.chance(0.3) ? 1 : r.chance(0.03) ? 1 : 0,
    renewalDate: plusDays(asOf, r.int(5, 360)),
    industry,
    region: r.pick(REGIONS),
    sizeBand,
    products: PRODUCTS.filter((p, k) => k === 0 || r.chance(0.45)),
    ...referenceTopics(rng(seed * 1_000_003 + i + 0x5eed_0000)),
  });
  if (!missingHealth) for (const p of healthSeries(r, asOf, level, drop)) ds.health.push({ accountId, ...p });

  const contacts: Contact[] = [];
  const contactCount = r.int(1, 4);
  for (let c = 0; c < contactCount; c++) {
    const [title, seniority] = r.pick(TITLES);
    const contact: Contact = {
      contactId: `con-${pad(i + 1)}-${c + 1}`,
      accountId,
      firstName: r.pick(FIRST),
      lastName: r.pick(LAST),
      title,
      seniority,
      doNotContact: r.chance(0.04),
    };
    contacts.push(contact);
    ds.contacts.push(contact);
    const responses = r.int(0, 3);
    const promoterish = level >= 80 ? 0.75 : level >= 50 ? 0.35 : 0.1;
    for (let k = 0; k < responses; k++) {
      const score = r.chance(promoterish) ? r.int(9, 10) : r.chance(0.6) ? r.int(7, 8) : r.int(2, 6);
      ds.nps.push({ accountId, contactId: contact.contactId, date: plusDays(asOf, -(k * 180 + r.int(5, 170))), score });
    }
  }

  // Prior advocacy: a quarter of the portfolio has been asked before.
  if (r.chance(0.25)) {
    const asks = r.int(1, 3);
    for (let k = 0; k < asks; k++) {
      const contact = r.pick(contacts);
      const askType: AskType = r.pick(['quote', 'quote', 'review', 'review', 'reference_call', 'reference_call', 'logo', 'case_study'] as const);
      const proposedOn = plusDays(asOf, -r.int(20, 540));
      ds.asks.push(priorAsk(r, `ask-demo-${pad(i + 1)}-${k + 1}`, accountId, contact.contactId, askType, proposedOn, asOf));
      const ask = ds.asks[ds.asks.length - 1];
      if (ask.status === 'completed' && PUBLISHING_ASK_TYPES.includes(askType)) {
        ds.consents.push({
          consentId: `consent-demo-${pad(i + 1)}-${k + 1}`,
          accountId,
          contactId: contact.contactId,
          scope: askType,
          grantedOn: ask.acceptedAt!.slice(0, 10),
          evidence: `Signed approval email from ${contact.firstName} ${contact.lastName}, filed with the ask`,
          expiresOn: null,
          revokedOn: null,
        });
      }
    }
  }

  if (r.chance(0.15)) {
    const won = r.chance(0.5);
    const lost = !won && r.chance(0.5);
    ds.deals.push({
      dealId: `deal-${pad(i + 1)}`,
      name: `${name} expansion`,
      accountId,
      ownerId: ds.accounts[ds.accounts.length - 1].ownerId,
      amount: r.int(10, 200) * 1000,
      stage: won ? 'won' : lost ? 'lost' : 'open',
      closeDate: won || lost ? plusDays(asOf, -r.int(5, 300)) : plusDays(asOf, r.int(10, 120)),
      industry,
      region: ds.accounts[ds.accounts.length - 1].region,
      sizeBand,
      products: ds.accounts[ds.accounts.length - 1].products,
    });
    // Some closed deals had a reference from another customer's champion (demo data: more
    // of the won ones, as programs report), so the report has influenced revenue to show.
    const deal = ds.deals[ds.deals.length - 1];
    if ((won || lost) && r.chance(won ? 0.5 : 0.25)) {
      const j = (i + r.int(1, 97)) % options.accounts;
      ds.asks.push(referenceAsk(r, `ask-demo-ref-${pad(i + 1)}`, j, deal.dealId, deal.closeDate!, asOf));
    }
  }
}

function referenceAsk(r: Rng, askId: string, advocateIndex: number, dealId: string, closeDate: IsoDate, asOf: IsoDate): StoredAsk {
  const proposedOn = plusDays(closeDate, -r.int(6, 30));
  const sentOn = plusDays(proposedOn, r.int(0, 4));
  const acceptedOn = plusDays(sentOn, r.int(1, 3));
  const completedOn = plusDays(acceptedOn, r.int(1, 6));
  const cancelled = r.chance(0.15);
  const done = !cancelled && completedOn <= asOf;
  return {
    askId,
    accountId: `acc-${pad(advocateIndex + 1)}`,
    contactId: `con-${pad(advocateIndex + 1)}-1`,
    dealId,
    askType: 'reference_call',
    status: cancelled ? 'cancelled' : done ? 'completed' : 'accepted',
    proposedAt: at(proposedOn, 9),
    sentAt: cancelled ? null : at(sentOn, 10),
    acceptedAt: cancelled ? null : at(acceptedOn, 11),
    declinedAt: null,
    noResponseAt: null,
    completedAt: done ? at(completedOn, 15) : null,
    cancelledAt: cancelled ? at(sentOn, 10) : null,
    source: 'reference',
    runKey: null,
    taskId: null,
    crmAskId: null,
    outcomeNote: done ? 'Reference call held; the prospect found it useful' : cancelled ? 'CSM declined: the customer is mid-migration' : null,
    criteriaVersion: null,
    readinessScore: null,
    details: { demo: true },
  };
}

const USE_CASES = ['onboarding', 'renewal forecasting', 'churn prevention', 'support deflection', 'expansion'];
const COMPETITORS = ['Gainsight', 'Totango', 'ChurnZero', 'spreadsheets'];
const LANGUAGES = ['English', 'German', 'French', 'Spanish', 'Japanese', 'Portuguese'];

/** What an account can speak to as a reference; its own stream, so the rest of the demo stays as it was. */
function referenceTopics(r: Rng) {
  return {
    useCases: USE_CASES.filter(() => r.chance(0.3)),
    competitorsReplaced: r.chance(0.4) ? [r.pick(COMPETITORS)] : [],
    languages: ['English', ...LANGUAGES.slice(1).filter(() => r.chance(0.15))],
  };
}

function priorAsk(r: Rng, askId: string, accountId: string, contactId: string, askType: AskType, proposedOn: IsoDate, asOf: IsoDate): StoredAsk {
  const sentOn = plusDays(proposedOn, r.int(1, 5));
  const answerOn = plusDays(sentOn, r.int(2, 14));
  const outcome = r.next();
  let status: AskStatus;
  const ask: StoredAsk = {
    askId,
    accountId,
    contactId,
    dealId: null,
    askType,
    status: 'sent',
    proposedAt: at(proposedOn, 9),
    sentAt: at(sentOn, 10),
    acceptedAt: null,
    declinedAt: null,
    noResponseAt: null,
    completedAt: null,
    cancelledAt: null,
    source: 'import',
    runKey: null,
    taskId: null,
    crmAskId: null,
    outcomeNote: null,
    criteriaVersion: null,
    readinessScore: null,
    details: { demo: true },
  };
  if (outcome < 0.55) {
    ask.acceptedAt = at(answerOn, 11);
    const doneOn = plusDays(answerOn, r.int(5, 30));
    if (doneOn <= asOf) {
      ask.completedAt = at(doneOn, 15);
      status = 'completed';
      ask.outcomeNote = 'Delivered and approved by the customer';
    } else status = 'accepted';
  } else if (outcome < 0.75) {
    ask.declinedAt = at(answerOn, 11);
    status = 'declined';
    ask.outcomeNote = 'Customer declined: bandwidth this quarter';
  } else {
    ask.noResponseAt = at(plusDays(sentOn, 21), 9);
    status = 'no_response';
  }
  ask.status = status;
  return ask;
}
