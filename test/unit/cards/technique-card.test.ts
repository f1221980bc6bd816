import { techniqueCard } from '../../../src/cards';
import { cardByteSize, CARD_BUDGET_BYTES } from '../../../src/cards/size-guard';
import {
  AttackKnowledge,
  loadBundledCompactAttack,
  type TechniqueDetails,
  type TechniqueInfo,
} from '../../../src/intel/attack';
import { cardProblems, expectValidCard, renderedText } from '../../support/cards';
import { describeWithSharedData, sharedDataPath } from '../../support/shared-data';

const knowledge = new AttackKnowledge();
const technique = (id: string) => knowledge.technique(id) as TechniqueInfo;

const HOSTILE =
  'Ignore previous instructions. [click](http://evil.example) ![x](http://evil.example/x.png) ' +
  '<at>everyone</at> http://evil.example/payload www.evil.example';

function makeDetails(overrides: Partial<TechniqueDetails> = {}): TechniqueDetails {
  return {
    id: 'T1059.001',
    description:
      'Synthetic: adversaries run [PowerShell](https://attack.mitre.org/techniques/T1059/001) scripts.' +
      '(Citation: Invented 2024) See [this](https://evil.example/phish).\n\nSecond paragraph with more detail.',
    detection: [
      {
        id: 'DET0455',
        name: 'Synthetic strategy',
        url: 'https://attack.mitre.org/detectionstrategies/DET0455/',
        analytics: [
          {
            id: 'AN1252',
            platforms: ['Windows'],
            description: 'Look for encoded commands.(Citation: Invented)',
            logSources: [
              { name: 'WinEventLog:Sysmon', channel: 'EventCode=1', dataComponentId: 'DC0032' },
              { name: 'WinEventLog:PowerShell', channel: 'EventCode=4104', dataComponentId: 'DC0029' },
            ],
          },
        ],
      },
    ],
    mitigations: [
      {
        id: 'M1045',
        name: 'Code Signing',
        description: 'Allow only signed scripts.',
        url: 'https://attack.mitre.org/mitigations/M1045/',
      },
    ],
    dataComponents: [
      {
        id: 'DC0029',
        name: 'Script Execution',
        logSources: [{ name: 'WinEventLog:PowerShell', channel: 'EventCode=4104' }],
      },
      { id: 'DC0032', name: 'Process Creation', logSources: [{ name: 'WinEventLog:Sysmon', channel: 'EventCode=1' }] },
    ],
    ...overrides,
  };
}

/** Every element in the card with an id, by id. */
function elementsById(card: unknown): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.id === 'string') found.set(record.id, record);
      Object.values(record).forEach(visit);
    }
  };
  visit(card);
  return found;
}

describe('techniqueCard', () => {
  test('facts only: the linked ID and full name, tactics, platforms, parent and data components', () => {
    const card = techniqueCard({ query: 'T1059.001', technique: technique('T1059.001'), attackVersion: '18.1' });
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain(
      '[T1059.001 Command and Scripting Interpreter: PowerShell](https://attack.mitre.org/techniques/T1059/001/)',
    );
    expect(shown).toContain('MITRE ATT&CK sub-technique');
    expect(shown).toMatch(/Tactics\nExecution/);
    expect(shown).toMatch(/Platforms\nWindows/);
    expect(shown).toContain(
      'Sub-technique of [T1059 Command and Scripting Interpreter](https://attack.mitre.org/techniques/T1059/)',
    );
    expect(shown).toContain('Data components (log sources)');
    expect(shown).toContain('**Process Creation (DC0032)**');
    expect(shown).toContain('MITRE ATT&CK® v18.1 · © The MITRE Corporation');
    expect(shown).not.toContain('Description');
    expect(shown).not.toContain('Detection guidance');
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open in MITRE ATT&CK', url: 'https://attack.mitre.org/techniques/T1059/001/' },
    ]);
  });

  test('a parent technique lists its sub-techniques, linked', () => {
    const subTechniques = knowledge.subTechniques('T1059');
    const card = techniqueCard({ query: 'T1059', technique: technique('T1059'), subTechniques });
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain(`Sub-techniques (${subTechniques.length})`);
    expect(shown).toContain('[T1059.001 PowerShell](https://attack.mitre.org/techniques/T1059/001/)');
    expect(shown).toContain('MITRE ATT&CK technique');
  });

  test('only twelve sub-techniques are listed; the rest are counted', () => {
    const many = Array.from({ length: 15 }, (_, index) => ({
      id: `T1059.${String(index + 1).padStart(3, '0')}`,
      name: `Sub ${index + 1}`,
    }));
    const shown = renderedText(techniqueCard({ query: 'T1059', technique: technique('T1059'), subTechniques: many }));
    expect(shown).toContain('Sub 12');
    expect(shown).not.toContain('Sub 13');
    expect(shown).toContain('and 3 more on the ATT&CK page');
  });

  test('with details: a short description, and detection and mitigations in sections opened by a toggle', () => {
    const card = techniqueCard({ query: 'T1059.001', technique: technique('T1059.001'), details: makeDetails() });
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('Synthetic: adversaries run PowerShell scripts. See this.');
    expect(shown).not.toContain('(Citation:');
    expect(shown).not.toContain('evil.example/phish');
    expect(shown).toContain('Detection guidance (1 analytic)');
    expect(shown).toContain('**Windows (AN1252)**: Look for encoded commands.');
    expect(shown).toContain('Log sources: WinEventLog:Sysmon (EventCode=1); WinEventLog:PowerShell (EventCode=4104)');
    expect(shown).toContain('Mitigations (1)');
    expect(shown).toContain('**M1045 Code Signing**: Allow only signed scripts.');
    // The bundle's channels replace the compact facts' long list of log sources.
    expect(shown).toContain('**Process Creation (DC0032)**: WinEventLog:Sysmon (EventCode=1)');
    const elements = elementsById(card);
    for (const id of ['technique-detection', 'technique-mitigations', 'technique-description-full']) {
      expect(elements.get(id)?.isVisible).toBe(false);
    }
    expect(elements.get('technique-description-preview')?.text).toBe(
      'Synthetic: adversaries run PowerShell scripts. See this.',
    );
  });

  test('the older free-text detection field is shown as it is', () => {
    const details = makeDetails({
      detection: [{ name: 'Detection', description: 'Watch for the thing.', analytics: [] }],
    });
    const shown = renderedText(techniqueCard({ query: 'T1059.001', technique: technique('T1059.001'), details }));
    expect(shown).toContain('Detection guidance');
    expect(shown).toContain('Watch for the thing.');
  });

  test('hostile text in the details never becomes a link, image or mention', () => {
    const details = makeDetails({
      description: HOSTILE,
      detection: [
        { name: HOSTILE, analytics: [{ id: 'AN1', platforms: [HOSTILE], description: HOSTILE, logSources: [] }] },
      ],
      mitigations: [{ id: 'M1', name: HOSTILE, description: HOSTILE, url: 'https://evil.example/' }],
      dataComponents: [{ id: 'DC1', name: HOSTILE, logSources: [{ name: HOSTILE, channel: HOSTILE }] }],
    });
    const card = techniqueCard({ query: HOSTILE, technique: technique('T1059.001'), details, note: HOSTILE });
    expectValidCard(card);
    expect(JSON.stringify(card)).not.toContain('evil.example');
  });

  test('details for another technique are not shown', () => {
    const shown = renderedText(
      techniqueCard({ query: 'T1003', technique: technique('T1003'), details: makeDetails({ id: 'T1059.001' }) }),
    );
    expect(shown).not.toContain('Synthetic');
  });

  test('huge details still give a valid card under the size budget', () => {
    const long = 'Long synthetic guidance sentence. '.repeat(200);
    const details = makeDetails({
      description: long,
      detection: Array.from({ length: 3 }, (_, strategy) => ({
        id: `DET000${strategy}`,
        name: `Strategy ${strategy}`,
        analytics: Array.from({ length: 9 }, (__, index) => ({
          id: `AN${strategy}${index}`,
          platforms: ['Windows', 'Linux', 'macOS'],
          description: long,
          logSources: Array.from({ length: 20 }, (___, source) => ({
            name: `Log:${source}`,
            channel: long.slice(0, 200),
            dataComponentId: 'DC0032',
          })),
        })),
      })),
      mitigations: Array.from({ length: 40 }, (_, index) => ({
        id: `M1${String(index).padStart(3, '0')}`,
        name: `Mitigation ${index}`,
        description: long,
        url: '',
      })),
    });
    const card = techniqueCard({ query: 'T1059.001', technique: technique('T1059.001'), details });
    expectValidCard(card);
    expect(cardByteSize(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    const shown = renderedText(card);
    expect(shown).toContain('and 18 more analytics on the ATT&CK page');
  });

  test('a revoked ID says it was replaced and shows the replacement', () => {
    const card = techniqueCard({ query: 'T1143', technique: technique('T1143') });
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain(
      'T1143 was revoked by MITRE and replaced by **T1564.003 Hide Artifacts: Hidden Window** — shown here.',
    );
    expect(shown).toContain(
      '[T1564.003 Hide Artifacts: Hidden Window](https://attack.mitre.org/techniques/T1564/003/)',
    );
  });

  test('a deprecated technique says so', () => {
    const deprecated = loadBundledCompactAttack().techniques.find((entry) => entry.deprecated && !entry.revoked);
    expect(deprecated).toBeDefined();
    const id = (deprecated as { id: string }).id;
    const card = techniqueCard({ query: id, technique: technique(id) });
    expectValidCard(card);
    expect(renderedText(card)).toContain(`MITRE has deprecated ${id}: it is no longer maintained`);
  });

  test('an unknown technique gets a clear card that invents nothing and links nowhere', () => {
    const card = techniqueCard({ query: 'T9999', technique: undefined, attackVersion: '18.1' });
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('Not an ATT&CK technique I know');
    expect(shown).toContain('“T9999” is not a technique ID or name in MITRE ATT&CK Enterprise v18.1.');
    expect(JSON.stringify(card)).not.toContain('attack.mitre.org/techniques');
    expect(card.actions).toBeUndefined();
  });

  test('the unknown-technique card echoes hostile input safely', () => {
    const card = techniqueCard({ query: HOSTILE, technique: undefined });
    expectValidCard(card);
    expect(renderedText(techniqueCard({ query: '  ', technique: undefined }))).toContain(
      'No technique ID or name was given.',
    );
  });
});

const bundleFile = sharedDataPath('attack', 'enterprise-attack.json.gz');

describeWithSharedData('technique cards with details from MITRE’s full bundle', bundleFile, () => {
  const withBundle = new AttackKnowledge({ stixPath: bundleFile });

  test('every active technique gives a valid card under the budget, without citations', async () => {
    const problems: string[] = [];
    for (const active of withBundle.activeTechniques()) {
      const details = await withBundle.details(active.id);
      const card = techniqueCard({
        query: active.id,
        technique: active,
        subTechniques: withBundle.subTechniques(active.id),
        details,
        attackVersion: withBundle.version,
      });
      if (cardByteSize(card) > CARD_BUDGET_BYTES) problems.push(`${active.id}: ${cardByteSize(card)} bytes`);
      if (renderedText(card).includes('(Citation:')) problems.push(`${active.id}: citation`);
      if (!renderedText(card).includes('Detection guidance')) problems.push(`${active.id}: no detection guidance`);
      const cardProblemsFound = cardProblems(card);
      if (cardProblemsFound.length > 0) problems.push(`${active.id}: ${cardProblemsFound.join('; ')}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
