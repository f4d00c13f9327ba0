import { firstOf, table } from '../../../backend/src/cli/format';

// Tables are read in a terminal of 100 columns.

describe('CLI tables', () => {
  it('when a table is narrower than 100 columns, then every cell is shown whole', () => {
    const out = table(['ask', 'status'], [['ask-1', 'sent']]);
    expect(out).toBe('ask    status\n-----  ------\nask-1  sent\n');
  });

  it('when a cell would make the table wider than 100 columns, then the widest column is cut with … and no line passes 100', () => {
    const why = 'renewal on 2026-12-15, within 60 days; detractor response (NPS 3 from contact c-9 on 2026-10-01) within 90 days';
    const out = table(['account', 'reasons', 'task'], [['acc-000002 (Globex Corporation)', why, 'task-77']]);
    const lines = out.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(lines[2]).toContain('acc-000002 (Globex Corporation)');
    expect(lines[2]).toContain('task-77');
    expect(lines[2]).toMatch(/renewal on 2026-12-15, within 60 days; .*…/);
  });

  it('when a list was cut, then it says how many there are and how to see them all', () => {
    expect(firstOf(25, 67, '`advocacy scan --json`')).toBe(' (first 25 of 67; `advocacy scan --json` lists all)');
    expect(firstOf(3, 3, 'x')).toBe('');
  });
});
