import { AttackKnowledge, type TechniqueDetails } from '../../../../src/intel/attack';
import { describeWithSharedData, sharedDataPath } from '../../../support/shared-data';

const bundleFile = sharedDataPath('attack', 'enterprise-attack.json.gz');

/** Every text a details object carries, to check what MITRE's markup became. */
function texts(details: TechniqueDetails): string[] {
  return [
    details.description,
    ...details.detection.flatMap((strategy) => [
      strategy.name,
      strategy.description ?? '',
      ...strategy.analytics.map((analytic) => analytic.description),
    ]),
    ...details.mitigations.flatMap((mitigation) => [mitigation.name, mitigation.description]),
  ];
}

describeWithSharedData('technique details from MITRE’s full ATT&CK v18 bundle', bundleFile, () => {
  const knowledge = new AttackKnowledge({ stixPath: bundleFile });
  let all: Map<string, TechniqueDetails>;

  beforeAll(async () => {
    const summary = await knowledge.loadDetails();
    expect(summary).toMatchObject({ objects: 24771, newestModified: '2025-11-12T22:03:39.105Z' });
    all = new Map();
    for (const technique of knowledge.activeTechniques()) {
      const details = await knowledge.details(technique.id);
      if (details !== undefined) all.set(technique.id, details);
    }
  }, 60_000);

  test('T1059.001 PowerShell: its detection strategy, analytics with log sources and channels, mitigations', async () => {
    const details = all.get('T1059.001') as TechniqueDetails;
    expect(details.description).toMatch(/^Adversaries may abuse PowerShell/);
    expect(details.detection.map((strategy) => strategy.id)).toEqual(['DET0455']);
    const analytic = details.detection[0].analytics.find((candidate) => candidate.id === 'AN1252');
    expect(analytic?.platforms).toEqual(['Windows']);
    expect(analytic?.logSources).toContainEqual({
      name: 'WinEventLog:Sysmon',
      channel: 'EventCode=1',
      dataComponentId: 'DC0032',
    });
    expect(details.mitigations.map((mitigation) => mitigation.id)).toEqual(
      expect.arrayContaining(['M1038', 'M1042', 'M1045', 'M1049']),
    );
    expect(details.dataComponents.find((component) => component.id === 'DC0032')?.name).toBe('Process Creation');
  });

  test('every active technique has a description and a detection strategy with analytics', () => {
    const active = knowledge.activeTechniques();
    expect(all.size).toBe(active.length);
    for (const technique of active) {
      const details = all.get(technique.id) as TechniqueDetails;
      expect({ id: technique.id, hasDescription: details.description.length > 40 }).toEqual({
        id: technique.id,
        hasDescription: true,
      });
      expect({ id: technique.id, strategies: details.detection.filter((strategy) => strategy.id).length }).toEqual({
        id: technique.id,
        strategies: 1,
      });
      expect(details.detection[0].analytics.length).toBeGreaterThan(0);
    }
  });

  test('no citation markers, Markdown links or <code> tags survive in any text', () => {
    const leftovers: string[] = [];
    for (const [id, details] of all) {
      for (const value of texts(details)) {
        const markup = /\(Citation:|\]\(|<\/?code>/i.exec(value);
        if (markup !== null) leftovers.push(`${id}: ${value.slice(Math.max(0, markup.index - 20), markup.index + 40)}`);
      }
    }
    expect(leftovers).toEqual([]);
  });

  test('the data components agree with the compact facts generated from the same bundle', () => {
    for (const [id, details] of all) {
      const compact = (knowledge.technique(id)?.dataComponents ?? []).map((component) => component.id).sort();
      expect({ id, components: details.dataComponents.map((component) => component.id) }).toEqual({
        id,
        components: compact,
      });
    }
  });

  test('mitigations are current M-numbered ones with a description, and revoked IDs resolve', async () => {
    const mitigations = [...all.values()].flatMap((details) => details.mitigations);
    expect(mitigations.length).toBeGreaterThan(1000);
    for (const mitigation of mitigations) {
      expect(mitigation.id).toMatch(/^M\d{4}$/);
      expect(mitigation.description.length).toBeGreaterThan(0);
    }
    expect((await knowledge.details('T1143'))?.id).toBe('T1564.003');
  });
});
