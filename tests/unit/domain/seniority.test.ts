import { seniorityFromTitle, seniorityFromValue, seniorityOf } from '../../../backend/src/domain/seniority';

describe('seniority from a CRM value or a job title', () => {
  it('when the CRM value is one of our names, in any case or spacing, then it is taken as is', () => {
    expect(seniorityFromValue('VP')).toBe('vp');
    expect(seniorityFromValue(' C-Level ')).toBe('c_level');
    expect(seniorityFromValue('c level')).toBe('c_level');
    expect(seniorityFromValue('Director')).toBe('director');
  });

  it('when the CRM value says executive, owner or partner, then the contact is c_level', () => {
    expect(['Executive', 'owner', 'PARTNER'].map(seniorityFromValue)).toEqual(['c_level', 'c_level', 'c_level']);
  });

  it('when the CRM value names nothing we know, or is empty, then it says nothing', () => {
    expect(seniorityFromValue('senior')).toBeNull();
    expect(seniorityFromValue('  ')).toBeNull();
    expect(seniorityFromValue(null)).toBeNull();
  });

  it('when only a title is known, then the title decides, the highest rank it names first', () => {
    expect(seniorityFromTitle('Chief Customer Officer')).toBe('c_level');
    expect(seniorityFromTitle('Co-Founder & President')).toBe('c_level');
    expect(seniorityFromTitle('SVP Operations')).toBe('vp');
    expect(seniorityFromTitle('Vice President, Sales')).toBe('vp');
    expect(seniorityFromTitle('Head of Support')).toBe('director');
    expect(seniorityFromTitle('Team Lead')).toBe('manager');
    expect(seniorityFromTitle('Solutions Engineer')).toBe('individual');
    expect(seniorityFromTitle(null)).toBeNull();
  });

  it('when the CRM value names a seniority, then it wins over the title; when it names none, the title decides', () => {
    expect(seniorityOf('executive', 'Head of Marketing')).toBe('c_level');
    expect(seniorityOf('manager', 'VP Sales')).toBe('manager');
    expect(seniorityOf('senior', 'VP Sales')).toBe('vp');
    expect(seniorityOf(null, null)).toBeNull();
  });
});
