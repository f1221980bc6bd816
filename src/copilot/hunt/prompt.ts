import type { LlmMessage } from '../../llm/port';
import type { HuntPlatform } from '../../kql/templates';
import { fenceUntrusted, untrustedDataRule } from '../untrusted';
import type { HuntDiagnostic } from './schema';

export type HuntKind = 'threat' | 'question';

const platformFacts: Record<HuntPlatform, string> = {
  sentinel: 'The query runs in Microsoft Sentinel (Log Analytics). The time column of every table is TimeGenerated.',
  defender:
    'The query runs in Microsoft Defender XDR advanced hunting. The time column of Device*, Identity*, Email* and CloudAppEvents tables is Timestamp. Advanced hunting keeps 30 days.',
};

export function huntSystemPrompt(kind: HuntKind, platform: HuntPlatform): string {
  return [
    'You are a senior threat hunter who writes KQL (Kusto Query Language) for a security operations centre.',
    kind === 'threat'
      ? 'Write one hunting query that finds the threat described in the request.'
      : 'Translate the analyst question in the request into one KQL query that answers it.',
    platformFacts[platform],
    'Use only the tables and columns listed in the schema you are given; never guess a column name.',
    `Every query must be time bounded: filter the time column with ago() right after the table, e.g. | where ${platform === 'defender' ? 'Timestamp' : 'TimeGenerated'} > ago(lookback). Use the window the request names, otherwise 1d; declare it as "let lookback = 1d;" at the top.`,
    'Prefer has/has_any over contains, and project the columns an analyst needs to triage the results.',
    'Only cite real MITRE ATT&CK technique IDs that the query hunts for.',
    untrustedDataRule,
    'Answer with JSON that matches the given schema.',
  ].join('\n');
}

/** Caps what the request may put into the prompt; it is attacker-influenced when pasted from an alert. */
const maximumRequestLength = 2000;

export function buildHuntMessages(
  kind: HuntKind,
  request: string,
  platform: HuntPlatform,
  schema: Record<string, string[]>,
  reference: Array<{ id: string; name: string }>,
): LlmMessage[] {
  const cut = request.length <= maximumRequestLength ? request : `${request.slice(0, maximumRequestLength)}…`;
  const referenceText =
    reference.length === 0
      ? 'ATT&CK techniques the request maps to: none found.'
      : `ATT&CK techniques the request maps to: ${reference.map((entry) => `${entry.id} ${entry.name}`).join('; ')}.`;
  const tables = Object.entries(schema).map(([table, columns]) => `${table}: ${columns.join(', ')}`);
  return [
    { role: 'system', content: huntSystemPrompt(kind, platform) },
    {
      role: 'user',
      content: [
        `Schema (table: column:type, …):\n${tables.length > 0 ? tables.join('\n') : '(no schema available)'}`,
        referenceText,
        fenceUntrusted(kind === 'threat' ? 'threat to hunt for' : 'analyst question', cut),
      ].join('\n\n'),
    },
  ];
}

/**
 * The repair round: the model's previous answer and what the validator found. The query came from a model
 * that read untrusted text, so it goes back fenced as data, not as our instruction.
 */
export function buildRepairMessages(previousQuery: string, diagnostics: HuntDiagnostic[]): LlmMessage[] {
  const findings = diagnostics
    .slice(0, 15)
    .map((diagnostic) => {
      const where =
        diagnostic.length > 0
          ? ` at "${previousQuery.slice(diagnostic.start, diagnostic.start + diagnostic.length)}"`
          : '';
      return `- ${diagnostic.severity} ${diagnostic.code}${where}: ${diagnostic.message}`;
    })
    .join('\n');
  return [
    { role: 'assistant', content: fenceUntrusted('your previous query', previousQuery) },
    {
      role: 'user',
      content: `The KQL validator rejected the previous query:\n${findings}\nFix every problem and answer again with the full JSON. Use only the listed tables and columns and keep a time bound.`,
    },
  ];
}
