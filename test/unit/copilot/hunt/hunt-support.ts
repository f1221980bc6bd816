import { huntingTemplates } from '../../../../src/kql/templates';
import { validateKql } from '../../../../src/kql/validator';
import { bundledSchemaFor, type HuntDependencies } from '../../../../src/copilot/hunt';
import { defaultAttackKnowledge } from '../../../../src/intel/attack/facts';
import { attackKnowledge } from '../../../../src/intel/attack';
import { silentLogger } from '../../../../src/logger';
import type { FakeLlmClient } from '../../../support/fake-llm';

export const fixedNow = new Date('2026-03-04T10:00:00.000Z');

export function huntDependencies(llm?: FakeLlmClient, overrides: Partial<HuntDependencies> = {}): HuntDependencies {
  return {
    attack: defaultAttackKnowledge(),
    validate: validateKql,
    schemaFor: bundledSchemaFor,
    dataComponents: (id) =>
      attackKnowledge()
        .technique(id)
        ?.dataComponents.map((component) => component.name) ?? [],
    llm,
    logger: silentLogger(),
    clock: () => fixedNow,
    ...overrides,
  };
}

export function templateQuery(id: string, platform: 'sentinel' | 'defender'): string {
  const query = huntingTemplates.find((template) => template.id === id)?.platforms[platform];
  if (query === undefined) throw new Error(`no ${platform} template ${id}`);
  return query;
}

/** A model answer around a query. */
export function modelAnswer(
  query: string,
  techniques = [{ id: 'T1059.001', name: 'PowerShell', tactics: ['Execution'] }],
) {
  return {
    query,
    detects: 'PowerShell started with an encoded command.',
    explanation: 'Filters process creation events to PowerShell with -EncodedCommand.',
    expectedFalsePositives: ['Management agents.'],
    tuning: ['Exclude known management parents.'],
    techniques,
  };
}
