import { normalizeTechniqueIds, toTechniqueId } from '../../../../src/sources/normalize/techniques';

describe('normalizeTechniqueIds', () => {
  it('upper-cases, keeps the first occurrence and drops duplicates', () => {
    expect(normalizeTechniqueIds(['t1059.001', 'T1059.001', ' T1003 ', 'T1003'])).toEqual(['T1059.001', 'T1003']);
  });

  it('accepts a slash before the sub-technique', () => {
    expect(toTechniqueId('T1558/003')).toBe('T1558.003');
  });

  it.each(['Execution', 'T12', 'T12345', 'T1059.1', 'TA0002', 'T1059.001 PowerShell', ''])('drops %p', (value) => {
    expect(normalizeTechniqueIds([value])).toEqual([]);
  });
});
