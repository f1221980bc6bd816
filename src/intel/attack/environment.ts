import { attackStixPathVariable } from './bundle-details';
import { AttackKnowledge, attackKnowledge } from './knowledge';

/** The operator's ATTACK_STIX_PATH, or undefined when it is unset or blank. */
export function attackStixPath(environment: NodeJS.ProcessEnv): string | undefined {
  const value = environment[attackStixPathVariable]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

const withBundle = new Map<string, AttackKnowledge>();

/**
 * The knowledge for this environment: the shared compact-facts instance when no bundle is configured, otherwise one
 * instance per bundle path, shared process-wide so the bundle is read once however many callers ask.
 */
export function attackKnowledgeFor(environment: NodeJS.ProcessEnv): AttackKnowledge {
  const stixPath = attackStixPath(environment);
  if (stixPath === undefined) return attackKnowledge();
  let knowledge = withBundle.get(stixPath);
  if (knowledge === undefined) {
    knowledge = new AttackKnowledge({ stixPath });
    withBundle.set(stixPath, knowledge);
  }
  return knowledge;
}
