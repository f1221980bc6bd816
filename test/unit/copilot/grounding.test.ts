import { groundTechniques, groundValues } from '../../../src/copilot/grounding';
import { defaultAttackKnowledge } from '../../../src/intel/attack/facts';

const attack = defaultAttackKnowledge();

describe('groundTechniques', () => {
  it("keeps real IDs in canonical form with MITRE's names and tactics, once each, and reports the rest", () => {
    const grounded = groundTechniques(
      [
        { id: 't1059.001', name: 'PS', tactics: [] },
        { id: 'T9999.999', name: 'Invented', tactics: ['Impact'] },
        { id: 'T1059/001', name: 'again', tactics: [] },
        { id: 'T1486', name: 'Ransomware', tactics: ['Execution'] },
        { id: 'not an id', name: '', tactics: [] },
      ],
      attack,
    );

    expect(grounded.kept).toEqual([
      { id: 'T1059.001', name: 'Command and Scripting Interpreter: PowerShell', tactics: ['Execution'] },
      { id: 'T1486', name: 'Data Encrypted for Impact', tactics: ['Impact'] },
    ]);
    expect(grounded.dropped).toEqual(['T9999.999', 'not an id']);
  });
});

describe('groundValues', () => {
  const alertText = [
    'Encoded PowerShell on WS-0142.contoso.local by alice@contoso.com.',
    'It connected to 203.0.113.7:443 and downloaded https://cdn.evil.example/stage2.ps1',
    'CONTOSO\\kwatanabe ran rundll32.exe',
  ].join('\n');

  it.each([
    ['alice@contoso.com', true],
    ['ALICE@CONTOSO.COM', true],
    ['  203.0.113.7 ', true],
    ['WS-0142.contoso.local', true],
    ['cdn.evil.example', true],
    ['https://cdn.evil.example/stage2.ps1', true],
    ['CONTOSO\\kwatanabe', true],
    ['kwatanabe', true],
    ['rundll32.exe', true],
    ['203.0.113.70', false],
    ['203.0.113', false],
    ['evil.example', false],
    ['contoso.com', false],
    ['WS-0142', false],
    ['lice@contoso.com', false],
    ['198.51.100.250', false],
    ['', false],
    ['   ', false],
  ])('%j occurs as a whole value: %s', (value, expected) => {
    const grounded = groundValues([{ value }], alertText);
    expect(grounded.kept.length === 1).toBe(expected);
    expect(grounded.dropped.length === 1).toBe(!expected);
  });

  it('keeps the order and the items as given', () => {
    const items = [
      { type: 'ip', value: '203.0.113.7' },
      { type: 'ip', value: '198.51.100.250' },
      { type: 'account', value: 'alice@contoso.com' },
    ];
    expect(groundValues(items, alertText)).toEqual({ kept: [items[0], items[2]], dropped: [items[1]] });
  });

  it('finds a whole occurrence after a partial one', () => {
    expect(groundValues([{ value: '10.0.0.1' }], 'seen 10.0.0.15 then 10.0.0.1').kept).toHaveLength(1);
  });
});
