import {
  applyLookback,
  huntingTemplates,
  lookbackFromText,
  lookbackOfQuery,
  type HuntPlatform,
  type HuntingTemplate,
} from '../../kql/templates';
import type { AttackFacts } from '../knowledge';
import { checkHuntQuery } from './check';
import type { HuntTechnique, HuntingQueryResult, KqlValidate } from './schema';

/** Below this score a template is only a suggestion: one short generic word is not enough to answer with it. */
const minimumScore = 2;

export interface TemplateScore {
  template: HuntingTemplate;
  score: number;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A keyword counts only as a whole word or phrase: "word" (Office) must not match "password". */
function mentions(request: string, keyword: string): boolean {
  return new RegExp(`(?<![a-z0-9])${escapeRegExp(keyword)}(?![a-z0-9])`, 'i').test(request);
}

/**
 * Scores every template against a request: keyword phrases (longer phrases weigh more, being more
 * specific) and the ATT&CK techniques the request maps to (an exact technique beats its parent).
 */
export function scoreTemplates(request: string, attack: AttackFacts): TemplateScore[] {
  const candidates = attack.techniquesForText(request).map((candidate) => candidate.id);
  return huntingTemplates
    .map((template) => {
      let score = 0;
      for (const keyword of template.keywords) {
        if (mentions(request, keyword)) score += 1 + keyword.split(/[\s-]+/).length;
      }
      for (const id of template.techniques) {
        if (candidates.includes(id)) score += 3;
        else if (candidates.some((candidate) => candidate.split('.')[0] === id.split('.')[0])) score += 1;
      }
      return { template, score };
    })
    .filter((entry) => entry.score > 0)
    .sort((left, right) => right.score - left.score);
}

export function templateTechniques(template: HuntingTemplate, attack: AttackFacts): HuntTechnique[] {
  return template.techniques.flatMap((id) => {
    const facts = attack.technique(id);
    return facts === undefined ? [] : [{ id: facts.id, name: facts.fullName, tactics: facts.tactics }];
  });
}

const platformNames: Record<HuntPlatform, string> = {
  sentinel: 'Microsoft Sentinel',
  defender: 'Defender advanced hunting',
};

/**
 * Answers from the template library: the best-scoring template that exists for the platform, with the
 * time window the request names. When none fits, it says so and suggests the closest templates instead
 * of writing a query it cannot stand behind.
 */
export function huntOffline(
  request: string,
  platform: HuntPlatform,
  attack: AttackFacts,
  validate: KqlValidate,
): { result: HuntingQueryResult; notes: string[] } {
  const scores = scoreTemplates(request, attack);
  const best = scores.find((entry) => entry.score >= minimumScore && entry.template.platforms[platform] !== undefined);
  const notes: string[] = [];
  const otherPlatformBest = scores[0];
  if (best === undefined) {
    const closest = scores.slice(0, 3).map((entry) => ({ id: entry.template.id, title: entry.template.title }));
    const onlyElsewhere =
      otherPlatformBest !== undefined &&
      otherPlatformBest.score >= minimumScore &&
      otherPlatformBest.template.platforms[platform] === undefined;
    const explanation = onlyElsewhere
      ? `The closest template, "${otherPlatformBest.template.title}", exists only for ${Object.keys(
          otherPlatformBest.template.platforms,
        )
          .map((name) => platformNames[name as HuntPlatform])
          .join(' and ')}, not for ${platformNames[platform]}.`
      : 'No hunting template in the offline library fits this request, and the offline engine does not write queries of its own.';
    const suggestions =
      closest.length > 0
        ? ` Closest templates: ${closest.map((entry) => entry.title).join('; ')}.`
        : ' Try naming the behaviour (for example "encoded PowerShell", "password spray" or "DNS tunnelling").';
    return {
      result: {
        platform,
        validation: { status: 'unvalidated', diagnostics: [] },
        detects: '',
        expectedFalsePositives: [],
        tuning: [],
        explanation: explanation + suggestions,
        techniques: [],
        closestTemplates: closest,
      },
      notes,
    };
  }

  const template = best.template;
  const lookback = lookbackFromText(request);
  const base = template.platforms[platform] as string;
  const query = lookback === undefined ? base : applyLookback(base, lookback);
  const window = lookback?.description ?? `the template's default of ${lookbackOfQuery(query) ?? 'its lookback'}`;
  const check = checkHuntQuery(query, platform, validate);
  if (!check.ok) {
    // A template that fails is our bug (the template test should have caught it); the analyst sees it
    // as unvalidated rather than a working query.
    notes.push('The template query did not pass validation against the current schema; review it before running it.');
  }
  return {
    result: {
      query,
      platform,
      validation: { status: check.ok ? 'validated' : 'unvalidated', diagnostics: check.diagnostics },
      detects: template.description,
      expectedFalsePositives: [...template.expectedFalsePositives],
      tuning: [...template.tuning],
      explanation: `From the offline template "${template.title}" for ${platformNames[platform]}, covering ${window}. Change "let lookback" at the top to widen or narrow the window.`,
      techniques: templateTechniques(template, attack),
      template: template.id,
    },
    notes,
  };
}
