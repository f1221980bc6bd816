import { defangText } from '../../intel/defang';
import type { CapabilityResult } from '../result';
import type { IncidentReport } from './schema';

/**
 * The report as Markdown for export (a ticket, an e-mail, a document). Pure: the same result always gives the
 * same text. Indicators are defanged and Markdown that could become a link, an image or HTML is neutralised,
 * because most texts quote alert data; the only links are the ATT&CK pages we build from validated IDs.
 */
export function reportMarkdown(result: CapabilityResult<IncidentReport>): string {
  const report = result.result;
  const lines: string[] = [];
  const marking = `**TLP:${report.tlp}**`;
  lines.push(marking, '', `# ${safe(report.title)}`, '');
  lines.push(`*Audience: ${report.audience} · Generated ${result.generatedAt} · ${engineText(result)}*`, '');
  lines.push(`> ${safe(report.basis)}`, '');

  section(lines, 'Executive summary', [safe(report.executiveSummary)]);
  if (report.decisionsNeeded.length > 0) section(lines, 'Decisions needed', bullets(report.decisionsNeeded));
  section(
    lines,
    'Incident timeline',
    report.timeline.length === 0
      ? ['No timed events are known.']
      : report.timeline.map(
          (event) => `- **${event.time.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z')}** ${safe(event.description)}`,
        ),
  );

  const technical: string[] = [safe(report.technicalDetails.summary)];
  if (report.technicalDetails.techniques.length > 0) {
    technical.push('', '**MITRE ATT&CK techniques**', '');
    for (const technique of report.technicalDetails.techniques) {
      const url = techniqueUrl(technique.id);
      const label = `${technique.id} ${safe(technique.name)}`;
      const tactics = technique.tactics.length > 0 ? ` — ${safe(technique.tactics.join(', '))}` : '';
      technical.push(`- ${url ? `[${label.replace(/[[\]]/g, '')}](${url})` : label}${tactics}`);
    }
  }
  if (report.technicalDetails.indicators.length > 0) {
    technical.push('', '**Indicators (defanged)**', '');
    for (const indicator of report.technicalDetails.indicators) {
      technical.push(`- ${safe(indicator.type)}: \`${code(indicator.value)}\``);
    }
  }
  for (const query of report.technicalDetails.queries) {
    technical.push(
      '',
      `**${safe(query.title)}** (${query.platform === 'defender' ? 'Defender advanced hunting' : 'Microsoft Sentinel'})`,
      '',
    );
    technical.push('```kql', defangText(query.query).replace(/```/g, '`\u200b``'), '```');
  }
  section(lines, 'Technical details', technical);

  const impact = report.impactAssessment;
  section(lines, 'Impact assessment', [
    safe(impact.summary),
    '',
    `- Affected user accounts: ${impact.affectedUsers}`,
    `- Affected devices and resources: ${impact.affectedAssets}`,
    `- Data: ${safe(impact.dataImpact)}`,
  ]);
  section(lines, 'Response actions taken', bullets(report.responseActionsTaken, 'None recorded.'));
  section(
    lines,
    'Recommendations',
    report.recommendations.map((item, index) => `${index + 1}. ${safe(item)}`),
  );
  section(lines, 'Lessons learned', bullets(report.lessonsLearned, 'None yet.'));
  if (report.gaps.length > 0) section(lines, 'Data that could not be read', bullets(report.gaps));
  if (result.notes.length > 0) section(lines, 'Notes', bullets(result.notes));
  lines.push(marking, '');
  return lines.join('\n');
}

function section(lines: string[], title: string, body: string[]): void {
  lines.push(`## ${title}`, '', ...body, '');
}

function bullets(items: readonly string[], empty = ''): string[] {
  if (items.length === 0) return empty === '' ? [] : [empty];
  return items.map((item) => `- ${safe(item)}`);
}

function engineText(result: CapabilityResult<IncidentReport>): string {
  if (result.engine.kind === 'offline') return 'offline analysis, no LLM was used';
  return `written by ${safe(result.engine.model)} (${result.engine.usage.totalTokens} tokens)`;
}

/** Defanged, one line, and nothing Markdown could turn into a link, image, HTML or a heading. */
function safe(text: string): string {
  return defangText(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]<>|#!]/g, (character) => `\\${character}`)
    .trim();
}

/** Inside inline code nothing is interpreted; only a backtick could end it. */
function code(text: string): string {
  return defangText(text)
    .replace(/`/g, "'")
    .replace(/[\r\n]+/g, ' ');
}

function techniqueUrl(id: string): string | undefined {
  const match = /^T(\d{4})(?:\.(\d{3}))?$/.exec(id);
  if (!match) return undefined;
  return `https://attack.mitre.org/techniques/T${match[1]}${match[2] ? `/${match[2]}` : ''}/`;
}
