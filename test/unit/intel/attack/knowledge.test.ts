import {
  AttackKnowledge,
  attackKnowledge,
  findTechniqueIds,
  normalizeTechniqueId,
  type CompactAttack,
} from '../../../../src/intel/attack';

const knowledge = new AttackKnowledge();

describe('normalizeTechniqueId', () => {
  test.each([
    ['T1059.001', 'T1059.001'],
    ['t1059.001', 'T1059.001'],
    ['T1059/001', 'T1059.001'],
    [' T1059-001 ', 'T1059.001'],
    ['T1059_001', 'T1059.001'],
    ['t1059', 'T1059'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeTechniqueId(input)).toBe(expected);
    expect(knowledge.normalizeTechniqueId(input)).toBe(expected);
  });

  test.each(['T105', 'T10590', 'T1059.01', 'TA0002', 'S0002', 'powershell', 'T1059.001x', ''])(
    'rejects %j',
    (input) => {
      expect(normalizeTechniqueId(input)).toBeUndefined();
    },
  );

  test('findTechniqueIds finds every ID in free text once, in order, but not inside longer tokens', () => {
    expect(findTechniqueIds('T1566.001 then t1059/001, again T1566.001; not AT10590 or T1059001')).toEqual([
      'T1566.001',
      'T1059.001',
    ]);
  });
});

describe('technique', () => {
  test('a sub-technique has its parent, MITRE full name, tactics and data components', () => {
    const technique = knowledge.technique('t1059/001');
    expect(technique).toMatchObject({
      id: 'T1059.001',
      name: 'PowerShell',
      fullName: 'Command and Scripting Interpreter: PowerShell',
      isSubtechnique: true,
      parent: { id: 'T1059', name: 'Command and Scripting Interpreter' },
      platforms: ['Windows'],
      deprecated: false,
      revoked: false,
      url: 'https://attack.mitre.org/techniques/T1059/001/',
    });
    expect(technique?.tactics).toEqual([
      {
        id: 'TA0002',
        name: 'Execution',
        shortname: 'execution',
        order: 4,
        url: 'https://attack.mitre.org/tactics/TA0002/',
      },
    ]);
    expect(technique?.dataComponents.map((component) => component.name)).toContain('Process Creation');
    expect(technique?.resolvedFrom).toBeUndefined();
  });

  test('a technique with several tactics lists them in matrix order', () => {
    const technique = knowledge.technique('T1078');
    expect(technique?.fullName).toBe('Valid Accounts');
    expect(technique?.parent).toBeUndefined();
    expect(technique?.tactics.map((tactic) => tactic.shortname)).toEqual([
      'initial-access',
      'persistence',
      'privilege-escalation',
      'defense-evasion',
    ]);
  });

  test('a revoked ID resolves to its replacement and records what was asked for', () => {
    // T1143 "Hidden Window" was revoked by T1564.003 when Hide Artifacts gained sub-techniques.
    expect(knowledge.technique('T1143')).toMatchObject({
      id: 'T1564.003',
      name: 'Hidden Window',
      fullName: 'Hide Artifacts: Hidden Window',
      resolvedFrom: 'T1143',
      revoked: false,
    });
  });

  test('a deprecated technique is returned and flagged', () => {
    expect(knowledge.technique('T1064')).toMatchObject({ id: 'T1064', name: 'Scripting', deprecated: true });
  });

  test('unknown or malformed IDs give undefined', () => {
    expect(knowledge.technique('T9999')).toBeUndefined();
    expect(knowledge.technique('T1059.999')).toBeUndefined();
    expect(knowledge.technique('PowerShell')).toBeUndefined();
  });

  test('callers get their own copy', () => {
    const first = knowledge.technique('T1059.001');
    first?.tactics.push({ id: 'TA9999', name: 'Edited', shortname: 'edited', order: 99, url: '' });
    first?.platforms.push('Edited');
    expect(knowledge.technique('T1059.001')?.tactics).toHaveLength(1);
    expect(knowledge.technique('T1059.001')?.platforms).toEqual(['Windows']);
  });

  test('activeTechniques lists only techniques that are neither revoked nor deprecated', () => {
    const active = knowledge.activeTechniques();
    expect(active.length).toBeGreaterThan(600);
    expect(active.every((technique) => !technique.deprecated && technique.resolvedFrom === undefined)).toBe(true);
    expect(active.map((technique) => technique.id)).not.toContain('T1143');
  });
});

describe('tactic, group and software lookups', () => {
  test.each(['TA0006', 'ta0006', 'Credential Access', 'credential-access', 'CredentialAccess'])(
    'tactic %s',
    (query) => {
      expect(knowledge.tactic(query)).toMatchObject({ id: 'TA0006', name: 'Credential Access', order: 8 });
    },
  );

  test('tactics come in matrix order and unknown tactics give undefined', () => {
    const tactics = knowledge.tactics();
    expect(tactics).toHaveLength(14);
    expect(tactics[0].shortname).toBe('reconnaissance');
    expect(tactics[13].shortname).toBe('impact');
    expect(knowledge.tactic('Lateral Thinking')).toBeUndefined();
  });

  test.each(['G0016', 'APT29', 'apt 29', 'Cozy Bear', 'Midnight Blizzard', 'NOBELIUM'])('group %s', (query) => {
    const group = knowledge.group(query);
    expect(group).toMatchObject({ id: 'G0016', name: 'APT29', url: 'https://attack.mitre.org/groups/G0016/' });
    expect(group?.techniqueIds).toContain('T1078.004');
    expect(group?.softwareIds.length).toBeGreaterThan(10);
  });

  test('a revoked group ID resolves to the group that replaced it', () => {
    const group = knowledge.group('G0118');
    expect(group).toMatchObject({ id: 'G0016', resolvedFrom: 'G0118' });
  });

  test.each(['S0002', 'Mimikatz', 'mimikatz'])('software %s', (query) => {
    const software = knowledge.software(query);
    expect(software).toMatchObject({ id: 'S0002', name: 'Mimikatz', type: 'tool' });
    expect(software?.techniqueIds).toContain('T1003.001');
  });

  test('malware by alias, and unknown names give undefined', () => {
    expect(knowledge.software('S0154')).toMatchObject({ name: 'Cobalt Strike', type: 'malware' });
    expect(knowledge.software('definitely not malware')).toBeUndefined();
    expect(knowledge.group('The Friendly Group')).toBeUndefined();
  });
});

describe('search', () => {
  test('exact names, case-insensitive, including the "Parent: Name" form', () => {
    expect(knowledge.search('powershell')[0].id).toBe('T1059.001');
    expect(knowledge.search('Command and Scripting Interpreter: PowerShell')[0].id).toBe('T1059.001');
    expect(knowledge.search('OS CREDENTIAL DUMPING')[0].id).toBe('T1003');
  });

  test('near names, prefixes and typos', () => {
    expect(knowledge.search('kerberosting')[0].id).toBe('T1558.003');
    expect(knowledge.search('Pass the')[0].id).toMatch(/^T1550\.00[23]$/);
    expect(knowledge.search('lsass')[0].id).toBe('T1003.001');
  });

  test('a technique ID as the query returns that technique; nonsense returns nothing', () => {
    expect(knowledge.search('T1059.001').map((technique) => technique.id)).toEqual(['T1059.001']);
    expect(knowledge.search('zzqxv')).toEqual([]);
    expect(knowledge.search('   ')).toEqual([]);
  });

  test('limit bounds the result', () => {
    expect(knowledge.search('Command and Scripting Interpreter', { limit: 3 })).toHaveLength(3);
    expect(knowledge.search('Command and Scripting Interpreter')[0].id).toBe('T1059');
  });
});

describe('techniquesForCategory', () => {
  test('Graph categories name a tactic, not a technique', () => {
    const mapping = knowledge.techniquesForCategory('CredentialAccess');
    expect(mapping.tactics.map((tactic) => tactic.id)).toEqual(['TA0006']);
    expect(mapping.techniques).toEqual([]);
  });

  test('Sentinel comma-separated tactic lists map to each tactic in matrix order', () => {
    const mapping = knowledge.techniquesForCategory('Persistence, InitialAccess, CommandAndControl');
    expect(mapping.tactics.map((tactic) => tactic.shortname)).toEqual([
      'initial-access',
      'persistence',
      'command-and-control',
    ]);
  });

  test('behaviour categories add a technique and its tactic', () => {
    const mapping = knowledge.techniquesForCategory('Ransomware');
    expect(mapping.techniques.map((match) => [match.technique.id, match.source])).toEqual([['T1486', 'category']]);
    expect(mapping.tactics.map((tactic) => tactic.shortname)).toEqual(['impact']);
    expect(knowledge.techniquesForCategory('PreAttack').tactics.map((tactic) => tactic.id)).toEqual([
      'TA0043',
      'TA0042',
    ]);
  });

  test('vague categories map to nothing', () => {
    for (const category of ['Malware', 'SuspiciousActivity', 'UnwantedSoftware', '']) {
      expect(knowledge.techniquesForCategory(category)).toEqual({ category, tactics: [], techniques: [] });
    }
  });
});

describe('loading', () => {
  const tinyTable: CompactAttack = {
    attackVersion: 'test',
    copyright: 'test',
    license: 'test',
    domain: 'enterprise-attack',
    tactics: [{ id: 'TA0002', name: 'Execution', order: 1, shortname: 'execution' }],
    techniques: [
      {
        id: 'T0001',
        name: 'One',
        tactics: ['execution'],
        platforms: [],
        isSubtechnique: false,
        deprecated: false,
        revoked: true,
        revokedBy: 'T0002',
        dataComponents: [],
      },
      {
        id: 'T0002',
        name: 'Two',
        tactics: ['execution'],
        platforms: [],
        isSubtechnique: false,
        deprecated: false,
        revoked: true,
        revokedBy: 'T0001',
        dataComponents: [],
      },
    ],
    groups: [],
    software: [],
    dataComponents: [],
  };

  test('the table is read on first use and only once', () => {
    const load = jest.fn(() => tinyTable);
    const instance = new AttackKnowledge({ load });
    expect(load).not.toHaveBeenCalled();
    expect(instance.version).toBe('test');
    instance.technique('T0001');
    instance.techniquesForText('T0002');
    expect(load).toHaveBeenCalledTimes(1);
  });

  test('a revocation cycle in a hand-made table ends instead of hanging', () => {
    const instance = new AttackKnowledge({ load: () => tinyTable });
    expect(['T0001', 'T0002']).toContain(instance.technique('T0001')?.id);
  });

  test('the shared instance is created once and reads the bundled table', () => {
    expect(attackKnowledge()).toBe(attackKnowledge());
    expect(attackKnowledge().version).toMatch(/^\d+\.\d+$/);
  });
});
