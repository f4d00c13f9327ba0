import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCriteria } from '../../../backend/src/domain/criteria';

const raw = () => JSON.parse(readFileSync(join(__dirname, '../../../backend/config/criteria.default.json'), 'utf8'));

describe('program criteria', () => {
  test('when the default criteria are parsed, then they are valid and versioned', () => {
    const r = parseCriteria(raw());
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.criteria.version).toBe('2026-11-01.1');
  });

  test('when several values are wrong, then every problem is listed with its path', () => {
    const bad = raw();
    bad.eligibility.minNps = 11;
    bad.readiness.weights.health = 40;
    bad.ladder.minReadiness.logo = 'high';
    delete bad.version;
    bad.templates.quote.body = 'Hi {{contact.nickname}}';
    bad.programNeeds.push({ id: 'fintech-case-studies-2027', askType: 'poster', segment: {}, priority: 1 });
    const r = parseCriteria(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['eligibility.minNps', 'readiness.weights', 'ladder.minReadiness.logo', 'version', 'templates.quote.body', 'programNeeds.2.askType']),
    );
    expect(r.problems.find((p) => p.path === 'templates.quote.body')!.message).toContain('unknown template variable {{contact.nickname}}');
    expect(r.problems.find((p) => p.path === 'readiness.weights')!.message).toBe('readiness weights must add up to 100');
  });

  test('when an unknown key is present, then it is refused rather than ignored', () => {
    const bad = raw();
    bad.eligibility.minHelth = 70;
    const r = parseCriteria(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0].path).toBe('eligibility');
  });

  test('when an approved template has no approver, then it is refused', () => {
    const bad = raw();
    delete bad.templates.review.approvedBy;
    const r = parseCriteria(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toContainEqual({ path: 'templates.review.approved', message: 'an approved template names approvedBy and approvedOn' });
  });
});
