import { huntResultsCard, huntingQueryCard } from '../../cards';
import { checkPastedQuery, runHuntQuery } from '../../copilot/hunt/run';
import { huntForIndicator } from '../../copilot/intel';
import { normalizeIndicator, type Indicator } from '../../intel/enrichment';
import { extractIocs } from '../../intel/iocs';
import { generateHuntingQuery, naturalLanguageToKql, type HuntingQueryResult } from '../../copilot/hunt';
import { huntDependenciesFor } from '../../copilot/hunt/defaults';
import type { HuntPlatform } from '../../kql/templates';
import type { HuntSubject } from '../../findings';
import { huntSubjectOf, recordHuntFinding, recordQueryRunFinding } from './hunt-findings';
import { replyWithWork } from './reply-with-work';
import type { MessageHandler, MessageTurn } from './types';

/** The hunting capabilities wired for a turn (validator with the operator's schema, ATT&CK, the LLM). */
export function huntDependencies(turn: Pick<MessageTurn, 'services' | 'logger'>) {
  return huntDependenciesFor({
    ...turn.services,
    logger: turn.logger,
    kqlSchemaPath: turn.services.config.kqlSchemaPath,
  });
}

/** "… in defender" picks Defender advanced hunting; anything else is Microsoft Sentinel. */
export function platformOf(text: string | undefined): HuntPlatform {
  return /\bdefender\b|\badvanced hunting\b|\bmde\b/i.test(text ?? '') ? 'defender' : 'sentinel';
}

/** "hunt for encoded PowerShell [in defender]": a validated hunting query with what it finds and how to tune it. */
export const huntForThreat: MessageHandler = async (turn) => {
  const threat = (turn.groups.threat ?? '').trim();
  const platform = platformOf(turn.groups.platform);
  const subject = await huntSubjectOf(turn);
  const indicator = soleIndicator(threat);
  if (indicator !== undefined) {
    await sweepForIndicator(turn, indicator, platform, subject);
    return;
  }
  await replyWithWork(turn, {
    name: 'hunting query',
    slow: turn.services.llm !== undefined,
    working: { activity: 'Writing and validating a hunting query…', subject: threat },
    build: async () => {
      const result = await generateHuntingQuery({ threat, platform }, huntDependencies(turn));
      turn.audit?.({ engine: result.engine, kql: result.result.query, inputs: { platform } });
      await rememberQuery(turn, result.result);
      await recordHuntFinding(turn, subject, result, threat);
      return huntingQueryCard(result);
    },
  });
};

/** "kql failed sign-ins from new countries last 24h": the question as a validated, time-bounded query. */
export const questionToKql: MessageHandler = async (turn) => {
  const question = (turn.groups.question ?? '').trim();
  const platform = platformOf(turn.groups.platform);
  const subject = await huntSubjectOf(turn);
  await replyWithWork(turn, {
    name: 'natural language to KQL',
    slow: turn.services.llm !== undefined,
    working: { activity: 'Writing and validating KQL…', subject: question },
    build: async () => {
      const result = await naturalLanguageToKql({ question, platform }, huntDependencies(turn));
      turn.audit?.({ engine: result.engine, kql: result.result.query, inputs: { platform } });
      await rememberQuery(turn, result.result);
      await recordHuntFinding(turn, subject, result, question);
      return huntingQueryCard(result);
    },
  });
};

/**
 * Runs a query (from the Run button or "run <query>") through the data source and answers with its results. A run
 * in a thread about an incident or alert is filed as its finding, with a summary of the results.
 */
export async function runQueryAndReply(
  turn: Pick<MessageTurn, 'services' | 'logger' | 'responder' | 'later' | 'remember' | 'recall' | 'audit' | 'info'>,
  input: { query: string; platform: HuntPlatform },
): Promise<void> {
  const { services } = turn;
  turn.audit?.({ dataSources: [services.dataSource.name], kql: input.query, inputs: { platform: input.platform } });
  const subject = await huntSubjectOf(turn);
  await replyWithWork(turn, {
    name: 'hunting query run',
    // The demo source answers from memory; a real service takes seconds to minutes.
    slow: services.dataSource.name !== 'demo',
    working: { activity: 'Running the query…', subject: input.query.split('\n')[0] ?? '' },
    build: async () => {
      const run = await runHuntQuery(input, {
        dataSource: services.dataSource,
        validate: huntDependencies(turn).validate,
        logger: turn.logger,
        clock: services.clock,
      });
      await recordQueryRunFinding(turn, subject, run);
      return huntResultsCard(run, { sentinelWorkspaceResourceId: sentinelWorkspaceResourceId(services.config) });
    },
  });
}

/** "run <KQL>" (or "run in defender: <KQL>"): runs a pasted query after validating it. */
export const runQuery: MessageHandler = async (turn) => {
  await runQueryAndReply(turn, { query: turn.groups.query ?? '', platform: platformOf(turn.groups.platform) });
};

/** "kql: <query>": validates a pasted query against the platform's schema; the card offers Run when it is valid. */
export const validatePastedQuery: MessageHandler = async (turn) => {
  const card = huntingQueryCard(
    checkPastedQuery(
      { query: turn.groups.query ?? '', platform: platformOf(turn.groups.platform) },
      { validate: huntDependencies(turn).validate, clock: turn.services.clock },
    ),
  );
  await turn.responder.sendCard(card);
};

/** A validated query becomes the thread's "it" for "run it". */
async function rememberQuery(turn: Pick<MessageTurn, 'remember'>, hunt: HuntingQueryResult): Promise<void> {
  if (hunt.query !== undefined && hunt.validation.status === 'validated')
    await turn.remember?.({ query: { query: hunt.query, platform: hunt.platform } });
}

/** The Sentinel workspace's ARM id, when its coordinates are configured, for "Open in Log Analytics" links. */
function sentinelWorkspaceResourceId(config: MessageTurn['services']['config']): string | undefined {
  const arm = config.securitySources.sentinel?.arm;
  if (arm === undefined) return undefined;
  return `/subscriptions/${arm.subscriptionId}/resourceGroups/${arm.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${arm.workspaceName}`;
}

const sweepableTypes = ['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256'] as const;

/**
 * "hunt for 203.0.113[.]7" or "hunt for the hash <sha256>": a request that is one indicator and nothing else is
 * answered with the indicator sweep (every table that can hold it), not a threat-description hunt.
 */
export function soleIndicator(threat: string): Indicator | undefined {
  const report = extractIocs(threat);
  const urls = report.url.map((ioc) => ioc.value.toLowerCase());
  const found = sweepableTypes.flatMap((type) =>
    report[type]
      // A URL's host is reported as a domain too; the URL is the indicator.
      .filter((ioc) => type !== 'domain' || !urls.some((url) => url.includes(ioc.value.toLowerCase())))
      .map((ioc) => ({ type, ioc })),
  );
  if (found.length !== 1) return undefined;
  const [{ type, ioc }] = found;
  const occurrence = ioc.occurrences[0];
  if (occurrence === undefined) return undefined;
  const rest = threat.slice(0, occurrence.start) + threat.slice(occurrence.end);
  if (!/^[\W_]*(?:(?:the|this|that|ip|address|domain|url|link|file|hash|indicator|ioc)\b[\W_]*)*$/i.test(rest))
    return undefined;
  return normalizeIndicator({ type, value: ioc.value } as Indicator);
}

/**
 * The sweep query for one indicator, validated for the platform; the thread remembers it for "run it", and a sweep
 * about an incident or alert (`subject`, else the thread's) is filed as its finding.
 */
export async function sweepForIndicator(
  turn: MessageTurn,
  indicator: Indicator,
  platform: HuntPlatform,
  subject?: HuntSubject,
): Promise<void> {
  const started = Date.now();
  const about = subject ?? (await huntSubjectOf(turn));
  const { result, notes } = huntForIndicator(indicator, platform, huntDependencies(turn).validate);
  turn.audit?.({ engine: { kind: 'offline' }, kql: result.query, inputs: { platform } });
  await rememberQuery(turn, result);
  const sweep = {
    capability: 'huntIndicator',
    result,
    engine: { kind: 'offline' as const, durationMs: Date.now() - started },
    notes,
    subject: {},
    generatedAt: turn.services.clock().toISOString(),
  };
  await recordHuntFinding(turn, about, sweep, `${indicator.type} ${indicator.value}`);
  await turn.responder.sendCard(huntingQueryCard(sweep));
}
