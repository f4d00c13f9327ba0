import { AdvocateIndex, type Advocate, type ReferenceNeed } from '../backend/src/domain/reference-match';

// bench/match: time to rank advocates for one reference request on bases of 1,000 and
// 100,000 advocates, in one run. The index visits (industry, size band, region) buckets best
// first and stops when nothing left can beat the top 10, so a match should not grow with
// the base. Prints the median of many matches after warm-up, and the ratio.
//
//   npm run build && node dist/bench/match.js

const INDUSTRIES = ['FinTech', 'Healthcare', 'SaaS', 'Retail', 'Manufacturing', 'Education', 'Logistics'];
const SIZES = ['smb', 'mid-market', 'enterprise'];
const REGIONS = ['NA', 'EMEA', 'APAC', 'LATAM'];
const PRODUCTS = ['core', 'analytics', 'automation', 'integrations'];

function base(n: number): Advocate[] {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  return Array.from({ length: n }, (_, i) => ({
    contactId: `con-${i}`,
    contactName: `Contact ${i}`,
    accountId: `acc-${Math.floor(i / 3)}`,
    accountName: `Account ${Math.floor(i / 3)}`,
    attributes: { industry: [pick(INDUSTRIES)], sizeBand: [pick(SIZES)], region: [pick(REGIONS)], product: PRODUCTS.filter(() => rand() < 0.4), useCase: [], competitor: [], language: [] },
    readiness: Math.round((50 + rand() * 50) * 10) / 10,
    lastUsedOn: rand() < 0.6 ? null : `2026-${String(1 + Math.floor(rand() * 10)).padStart(2, '0')}-15`,
    unavailable: rand() < 0.25 ? { code: 'FATIGUE_CAP' as const, detail: 'cap', availableOn: '2027-01-15' } : null,
    consentedTo: [],
  }));
}

const NEEDS: ReferenceNeed[] = [
  { askType: 'reference_call', industry: 'FinTech', sizeBand: 'mid-market', region: 'EMEA', product: 'analytics', useCase: null, competitor: null, language: null, dueOn: null },
  { askType: 'reference_call', industry: 'Healthcare', sizeBand: null, region: 'NA', product: null, useCase: null, competitor: null, language: null, dueOn: null },
  { askType: 'reference_call', industry: 'Retail', sizeBand: 'enterprise', region: null, product: 'core', useCase: null, competitor: null, language: null, dueOn: null },
];

function timeMatches(index: AdvocateIndex, runs: number): number {
  for (let i = 0; i < 200; i++) index.match(NEEDS[i % NEEDS.length]); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    index.match(NEEDS[i % NEEDS.length]);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const rows = [1_000, 100_000].map((n) => {
  const advocates = base(n);
  const t = process.hrtime.bigint();
  const index = new AdvocateIndex(advocates);
  const buildMs = Number(process.hrtime.bigint() - t) / 1e6;
  return { advocates: n, indexBuildMs: Math.round(buildMs), medianMatchMs: Math.round(timeMatches(index, 1000) * 1000) / 1000 };
});
console.log('\nbench/match: one reference request ranked against the advocate base (median of 1,000 matches)');
console.table(rows);
console.log(`ratio 100k / 1k: ${(rows[1].medianMatchMs / rows[0].medianMatchMs).toFixed(2)}  (goal: far below 100; a single match well under 50 ms)`);
