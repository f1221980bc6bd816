import type { AttackKnowledge } from '../../intel/attack';
import type { HuntPlatform } from '../../kql/templates';
import { validateKql } from '../../kql/validator';
import type { LlmClient } from '../../llm/port';
import type { Logger } from '../../logger';
import type { AttackFacts } from '../knowledge';
import { bundledSchemaFor } from './tables';
import type { HuntDependencies } from './index';

const schemaForPlatform: Record<HuntPlatform, ReturnType<typeof bundledSchemaFor>> = {
  sentinel: bundledSchemaFor('sentinel'),
  defender: bundledSchemaFor('defender'),
};

/** The hunting capabilities wired to the real validator, the bundled schemas and ATT&CK (bot and CLI alike). */
export function huntDependenciesFor(input: {
  attack: AttackFacts;
  attackKnowledge: AttackKnowledge;
  llm?: LlmClient;
  logger: Logger;
  clock?: () => Date;
  /** KQL_SCHEMA_PATH: the operator's own tables, added to the bundled ones. */
  kqlSchemaPath?: string;
}): HuntDependencies {
  const schema = input.kqlSchemaPath ? { schema: { path: input.kqlSchemaPath } } : {};
  return {
    attack: input.attack,
    validate: (query, options) => validateKql(query, { platform: options.platform, ...schema }),
    schemaFor: (platform) => schemaForPlatform[platform],
    dataComponents: (techniqueId) =>
      input.attackKnowledge.technique(techniqueId)?.dataComponents.map((component) => component.name) ?? [],
    llm: input.llm,
    logger: input.logger,
    clock: input.clock,
  };
}
