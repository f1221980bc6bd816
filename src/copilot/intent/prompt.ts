import type { LlmMessage } from '../../llm/port';
import { fenceUntrusted, untrustedDataRule } from '../untrusted';

/**
 * The command language the bot routes deterministically. The model only translates a free-form request into
 * one of these; the translation is then routed, checked and answered exactly like typed text.
 */
export const commandLanguage = [
  'help',
  'investigate incident <incident id>',
  'report incident <incident id> for executives | technical | the regulator',
  'explain alert <alert id>',
  'analyze alert <alert id>',
  'remediation for alert <alert id>',
  'triage',
  'incidents [high | medium | low] [last <N>h | last <N>d]',
  'alerts [high | medium | low] [last <N>h | last <N>d]',
  'hunt for <threat or technique> [in defender]',
  'kql <question about the logs> [in defender]',
  'check <IP addresses, domains, URLs or file hashes>',
  'what is <security concept or ATT&CK technique>',
];

export function buildIntentMessages(request: string): LlmMessage[] {
  return [
    {
      role: 'system',
      content: [
        'You route requests from security analysts to the commands of a SOC assistant in Microsoft Teams.',
        'Translate the request into exactly one command of this command language (angle brackets are placeholders, square brackets optional):',
        ...commandLanguage.map((command) => `- ${command}`),
        'Copy alert ids, incident ids and indicators exactly as the request writes them; never invent an id. If the request needs an id it does not give, answer with an empty command and, in alternatives, commands that would help (for example "incidents" or "alerts high").',
        'If the request could mean two or three different commands, leave command empty and list them in alternatives.',
        'If it is not a security operations request at all, leave command and alternatives empty.',
        untrustedDataRule,
        'Answer with JSON that matches the given schema.',
      ].join('\n'),
    },
    { role: 'user', content: fenceUntrusted('analyst request', request) },
  ];
}
