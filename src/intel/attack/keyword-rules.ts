import type { KeywordRule } from './keyword-rule';
import { hostRules } from './keyword-rules-host';
import { identityAndNetworkRules } from './keyword-rules-identity-network';

export type { KeywordRule, RuleTechnique } from './keyword-rule';

/**
 * The project's curated keyword rules, in the order their reasons are reported when confidences tie. They are the
 * project's own judgement, not ATT&CK content; a unit test checks every technique ID against the bundled table.
 */
export const keywordRules: readonly KeywordRule[] = [...hostRules, ...identityAndNetworkRules];
