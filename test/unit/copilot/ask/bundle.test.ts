import { conceptCard } from '../../../../src/cards/concept-card';
import { askConcept, ConceptAnswerSchema } from '../../../../src/copilot/ask';
import { AttackKnowledge } from '../../../../src/intel/attack';
import { silentLogger } from '../../../../src/logger';
import { expectValidCard, renderedText } from '../../../support/cards';
import { describeWithSharedData, sharedDataPath } from '../../../support/shared-data';

const bundle = sharedDataPath('attack', 'enterprise-attack.json.gz');

describeWithSharedData('concept answers with MITRE’s full bundle configured', bundle, () => {
  const knowledge = new AttackKnowledge({ stixPath: bundle });
  const dependencies = { knowledge, logger: silentLogger() };

  beforeAll(async () => {
    await knowledge.loadDetails();
  }, 120_000);

  it.each([
    ['what is kerberoasting?', 'T1558.003'],
    ['what is a golden ticket', 'T1558.001'],
    ['explain T1003.001', 'T1003.001'],
    ['how does DCSync work?', 'T1003.006'],
  ])('answers %j with ATT&CK’s description, detection and mitigations', async (question, id) => {
    const result = await askConcept({ question }, dependencies);
    const answer = ConceptAnswerSchema.parse(result.result);
    const technique = answer.techniques.find((candidate) => candidate.id === id);
    expect(technique?.description).toEqual(expect.any(String));
    expect(technique?.detection.length).toBeGreaterThan(0);
    expect(technique?.mitigations.length).toBeGreaterThan(0);
    expect(answer.points.filter((point) => point.source === 'attack').length).toBeGreaterThan(2);
    expect(answer.points.some((point) => /ATTACK_STIX_PATH/.test(point.text))).toBe(false);
    const card = conceptCard(result);
    expectValidCard(card);
    expect(renderedText(card)).toMatch(/Mitigations \(\d+\)/);
  });

  it('compares two techniques with their descriptions', async () => {
    const result = await askConcept({ question: 'difference between pass-the-hash and pass-the-ticket' }, dependencies);
    expect(result.result.techniques.every((technique) => technique.description !== undefined)).toBe(true);
    expectValidCard(conceptCard(result));
  });
});
