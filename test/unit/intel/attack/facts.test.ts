import { AttackKnowledge, attackFactsView, defaultAttackKnowledge } from '../../../../src/intel/attack';

describe('attackFactsView', () => {
  const facts = attackFactsView(new AttackKnowledge());

  test('technique gives tactic names and the MITRE display name', () => {
    expect(facts.technique('T1059.001')).toEqual({
      id: 'T1059.001',
      name: 'PowerShell',
      fullName: 'Command and Scripting Interpreter: PowerShell',
      tactics: ['Execution'],
      deprecated: false,
    });
    expect(facts.technique('T1143')).toMatchObject({ id: 'T1564.003', resolvedFrom: 'T1143' });
    expect(facts.technique('T9999')).toBeUndefined();
  });

  test('techniquesForText passes on medium and high matches by default', () => {
    const candidates = facts.techniquesForText('Successful RDP brute force attack; admin logged on via SSH');
    expect(candidates.map((candidate) => candidate.id)).toEqual(['T1110', 'T1021.001', 'T1021.004']);
    expect(candidates[0]).toMatchObject({ confidence: 'high', reason: expect.stringContaining('brute') });
    const everything = attackFactsView(new AttackKnowledge(), { minimumConfidence: 'low' });
    expect(everything.techniquesForText('admin logged on via SSH').map((candidate) => candidate.id)).toContain('T1078');
  });

  test('the default view is shared', () => {
    expect(defaultAttackKnowledge()).toBe(defaultAttackKnowledge());
    expect(defaultAttackKnowledge().technique('T1059')?.fullName).toBe('Command and Scripting Interpreter');
  });
});
