import { askConcept, ConceptAnswerSchema, comparedSubjects, subjectOf } from '../../../../src/copilot/ask';
import { attackKnowledge } from '../../../../src/intel/attack';
import { silentLogger } from '../../../../src/logger';
import { conceptCard } from '../../../../src/cards/concept-card';
import { expectValidCard, renderedText } from '../../../support/cards';

const knowledge = attackKnowledge();
const dependencies = { knowledge, logger: silentLogger(), clock: () => new Date('2026-03-04T10:00:00Z') };

async function ask(question: string) {
  const result = await askConcept({ question }, dependencies);
  ConceptAnswerSchema.parse(result.result);
  expectValidCard(conceptCard(result));
  return result;
}

describe('reading the question', () => {
  it.each([
    ['what is kerberoasting?', 'kerberoasting'],
    ['What is a golden ticket', 'golden ticket'],
    ['how does DCSync work?', 'DCSync'],
    ['explain T1558.003', 'T1558.003'],
    ['tell me about the pass the hash technique', 'pass the hash'],
  ])('%j is about %j', (question, subject) => {
    expect(subjectOf(question)).toBe(subject);
  });

  it.each([
    ['difference between pass-the-hash and pass-the-ticket', ['pass-the-hash', 'pass-the-ticket']],
    ["what's the difference between a golden ticket and a silver ticket?", ['golden ticket', 'silver ticket']],
    ['compare kerberoasting with AS-REP roasting', ['kerberoasting', 'AS-REP roasting']],
    ['DCSync vs DCShadow', ['DCSync', 'DCShadow']],
  ])('%j compares %j', (question, subjects) => {
    expect(comparedSubjects(question)).toEqual(subjects);
  });
});

describe('askConcept offline', () => {
  it('answers a technique by name from ATT&CK, saying where descriptions would come from', async () => {
    const result = await ask('what is kerberoasting?');
    const answer = result.result;
    expect(result.engine.kind).toBe('offline');
    expect(answer).toMatchObject({ kind: 'technique', grounded: true });
    expect(answer.techniques[0]).toMatchObject({ id: 'T1558.003', matchedBy: 'name', tactics: ['Credential Access'] });
    expect(answer.answer).toMatch(
      /^Steal or Forge Kerberos Tickets: Kerberoasting \(T1558\.003\) is a MITRE ATT&CK sub-technique/,
    );
    expect(answer.points.some((point) => point.source === 'attack' && point.techniqueIds.includes('T1558.003'))).toBe(
      true,
    );
    expect(answer.points.some((point) => /ATTACK_STIX_PATH/.test(point.text))).toBe(true);
  });

  it('answers "what is a golden ticket" and by ID', async () => {
    expect((await ask('what is a golden ticket')).result.techniques[0].id).toBe('T1558.001');
    expect((await ask('explain T1558.003')).result.techniques[0]).toMatchObject({ id: 'T1558.003', matchedBy: 'id' });
  });

  it('compares two techniques from their facts', async () => {
    const answer = (await ask('difference between pass-the-hash and pass-the-ticket')).result;
    expect(answer.kind).toBe('comparison');
    expect(answer.techniques.map((technique) => technique.id)).toEqual(['T1550.002', 'T1550.003']);
    expect(answer.answer).toMatch(/Both are sub-techniques of T1550/);
  });

  it('answers a threat group from ATT&CK', async () => {
    const answer = (await ask('who is APT29?')).result;
    expect(answer).toMatchObject({ kind: 'actor', grounded: true });
    expect(answer.actors[0]).toMatchObject({ kind: 'group', id: 'G0016', name: 'APT29' });
    expect(answer.answer).toMatch(/threat group MITRE ATT&CK tracks/);
  });

  it('says plainly when it has no grounded source, with the closest techniques when there are any', async () => {
    const honeytoken = (await ask('what is a honeytoken?')).result;
    expect(honeytoken.grounded).toBe(false);
    expect(honeytoken.answer).toMatch(/^I have no grounded source for that\./);
    expect(honeytoken.techniques).toEqual([]);
    const card = conceptCard(await askConcept({ question: 'what is a honeytoken?' }, dependencies));
    expect(renderedText(card)).toMatch(/I have no grounded source for that/);
  });

  it('offers the techniques whose names come closest when nothing matches', async () => {
    const answer = (await ask('what is DLL sideloading?')).result;
    expect(answer.grounded).toBe(false);
    expect(answer.answer).toMatch(
      /^I have no grounded source for that\. The closest ATT&CK techniques by name: .*T1574\.001/,
    );
    expect(answer.closestTechniques.map((technique) => technique.id)).toContain('T1574.001');
  });

  it('says an unknown technique ID is unknown, never inventing one', async () => {
    const answer = (await ask('explain T9999.999')).result;
    expect(answer.unknownIds).toEqual(['T9999.999']);
    expect(answer.grounded).toBe(false);
    expect(answer.answer).toMatch(/T9999\.999 is not a technique in MITRE ATT&CK Enterprise v18\.1/);
  });

  it('answers by ID and by name for a spread of real ATT&CK techniques, each with a valid card', async () => {
    const techniques = knowledge.activeTechniques().filter((_, index) => index % 23 === 0);
    expect(techniques.length).toBeGreaterThan(20);
    for (const technique of techniques) {
      const byId = (await ask(`explain ${technique.id}`)).result;
      expect(byId.techniques[0]?.id).toBe(technique.id);
      const byName = (await ask(`what is ${technique.name}?`)).result;
      expect(byName.grounded).toBe(true);
      expect(byName.techniques.map((candidate) => candidate.id)).toContain(technique.id);
    }
  });
});

describe('tactics and how attackers use things', () => {
  it('answers a tactic by name or ID, before techniques that have the word in their names', async () => {
    for (const question of ['what is persistence?', 'what is TA0003']) {
      const answer = (await ask(question)).result;
      expect(answer).toMatchObject({ kind: 'tactic', grounded: true });
      expect(answer.tactics[0]).toMatchObject({ id: 'TA0003', name: 'Persistence' });
      expect(answer.tactics[0].techniqueCount).toBeGreaterThan(50);
      expect(answer.answer).toMatch(/^Persistence \(TA0003\) is a MITRE ATT&CK tactic/);
    }
  });

  it('reads "how do attackers use X" as a question about X', async () => {
    expect(subjectOf('how do attackers use certutil?')).toBe('certutil');
    const answer = (await ask('how do attackers use certutil?')).result;
    expect(answer.actors[0]).toMatchObject({ kind: 'software', id: 'S0160' });
  });
});
