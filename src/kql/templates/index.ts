import { executionTemplates } from './execution';
import { identityTemplates } from './identity';
import { networkEmailImpactTemplates } from './network-email-impact';
import { persistenceAndCredentialTemplates } from './persistence-credentials';
import type { HuntingTemplate } from './types';

export { huntPlatforms, type HuntPlatform, type HuntingTemplate } from './types';
export { applyLookback, lookbackFromText, lookbackOfQuery, type Lookback } from './lookback';

/** Every hunting template the offline engine can answer with. */
export const huntingTemplates: readonly HuntingTemplate[] = [
  ...executionTemplates,
  ...persistenceAndCredentialTemplates,
  ...identityTemplates,
  ...networkEmailImpactTemplates,
];

export function huntingTemplate(id: string): HuntingTemplate | undefined {
  return huntingTemplates.find((template) => template.id === id);
}
