import type { IncidentReport, TlpMarking } from '../copilot/report/schema';
import type { CapabilityResult } from '../copilot/result';
import type { AdaptiveCard, CardAction, CardElement, CardText, ContainerStyle, TextBlock, TextColor } from './card-kit';
import {
  LIMITS,
  actionSet,
  adaptiveCard,
  cardTime,
  collapsibleText,
  container,
  executeAction,
  factSet,
  openUrlAction,
  heading,
  joinText,
  label,
  optional,
  subtleNote,
  text,
  textBlock,
  toggleVisibilityAction,
} from './card-kit';
import { engineLine } from './alert-explanation-card';
import type { SafeUrl } from './links';
import { techniqueLines } from './alert-parts';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';
import { VERBS } from './verbs';

/** TLP 2.0 colours as close as Adaptive Cards gets: red, amber, green, and no colour for CLEAR. */
const TLP_STYLES: Readonly<Record<TlpMarking, { container: ContainerStyle; color: TextColor; meaning: string }>> = {
  RED: { container: 'attention', color: 'attention', meaning: 'for the named recipients only' },
  'AMBER+STRICT': { container: 'warning', color: 'warning', meaning: 'within the recipient organisation only' },
  AMBER: { container: 'warning', color: 'warning', meaning: 'recipient organisation and its clients, need-to-know' },
  GREEN: { container: 'good', color: 'good', meaning: 'within the community, not public' },
  CLEAR: { container: 'default', color: 'default', meaning: 'may be shared publicly' },
};

const audienceLabels: Record<IncidentReport['audience'], string> = {
  executive: 'for executives',
  technical: 'for the technical team',
  regulator: 'for the regulator',
};

const visibleTimelineEvents = 6;

/**
 * The incident report card: the TLP marking first, then the sections of the report at the audience's depth.
 * Long parts are collapsed; queries show in a monospace block. Texts are model- or alert-influenced and go
 * through `text()` (indicators defanged, nothing clickable); only ATT&CK technique pages are links.
 */
export interface ReportDownloads {
  markdown: SafeUrl;
  html: SafeUrl;
}

export function reportCard(
  result: CapabilityResult<IncidentReport>,
  options: { downloads?: ReportDownloads } = {},
): AdaptiveCard {
  const report = result.result;
  const tlp = TLP_STYLES[report.tlp] ?? TLP_STYLES.AMBER;
  const body: CardElement[] = [
    container(
      [
        textBlock(joinText([label(`TLP:${report.tlp}`), label(`— ${tlp.meaning}`)], ' '), {
          weight: 'bolder',
          color: tlp.color,
          size: 'small',
          spacing: 'none',
        }),
        textBlock(label(`Incident report ${audienceLabels[report.audience]}`), { size: 'small', spacing: 'small' }),
        heading(text(report.title, LIMITS.title), { size: 'medium', spacing: 'small' }),
      ],
      { style: tlp.container, bleed: true },
    ),
    subtleNote(text(report.basis, LIMITS.note), { spacing: 'small' }),
    textSection('rep-summary', 'Executive summary', report.executiveSummary),
  ];
  if (report.decisionsNeeded.length > 0) body.push(listSection('Decisions needed', report.decisionsNeeded, true));
  body.push(timelineSection(report.timeline));
  body.push(technicalSection(report));
  body.push(impactSection(report.impactAssessment));
  body.push(listSection('Response actions taken', report.responseActionsTaken, false));
  body.push(listSection('Recommendations', report.recommendations, true));
  if (report.lessonsLearned.length > 0)
    body.push(optional(collapsedList('rep-lessons', 'Lessons learned', report.lessonsLearned)));

  const warnings = [
    ...report.gaps.map((gap) => joinText([label('Not available:'), text(gap, LIMITS.note)], ' ')),
    ...result.notes.map((note) => text(note, LIMITS.note)),
  ];
  if (warnings.length > 0) {
    body.push(
      container(
        warnings.map((warning, index) =>
          textBlock(warning, { size: 'small', spacing: index === 0 ? 'none' : 'small' }),
        ),
        { style: 'warning', spacing: 'medium' },
      ),
    );
  }
  body.push(
    subtleNote(joinText([label(`TLP:${report.tlp}`), engineLine(result.engine), cardTime(result.generatedAt)], ' · '), {
      separator: true,
      spacing: 'medium',
    }),
  );
  // TLP:RED never leaves the chat as a file.
  const downloads =
    options.downloads && report.tlp !== 'RED'
      ? [
          openUrlAction('Download Markdown', options.downloads.markdown),
          openUrlAction('Download HTML', options.downloads.html),
        ]
      : [];
  return fitCard(adaptiveCard(body, [...downloads, ...actions(result)], { fullWidth: true }), CARD_BUDGET_BYTES).card;
}

/** TLP:RED asked for outside a 1:1 chat: the report is not posted; ask again in a personal chat. */
export function reportRestrictedCard(incidentId: string, audience: IncidentReport['audience']): AdaptiveCard {
  const tlp = TLP_STYLES.RED;
  return adaptiveCard([
    textBlock(joinText([label('TLP:RED'), label(`— ${tlp.meaning}`)], ' '), {
      weight: 'bolder',
      color: tlp.color,
      size: 'small',
    }),
    heading(text(`The ${audience} report on incident ${incidentId} is TLP:RED`, LIMITS.title)),
    textBlock(
      text(
        'A TLP:RED report is only delivered in a 1:1 chat with me, never in a channel or a group chat. Ask me for it in a personal chat.',
        LIMITS.note,
      ),
    ),
  ]);
}

function textSection(idPrefix: string, title: string, content: string): CardElement {
  return container([
    heading(label(title)),
    ...collapsibleText(idPrefix, text(content, LIMITS.section), text(content, LIMITS.preview)),
  ]);
}

function lines(items: readonly string[], numbered: boolean): TextBlock[] {
  return items.map((item, index) =>
    textBlock(joinText([label(numbered ? `${index + 1}.` : '•'), text(item, LIMITS.listItem)], ' '), {
      spacing: index === 0 ? 'small' : 'none',
    }),
  );
}

function listSection(title: string, items: readonly string[], numbered: boolean): CardElement {
  if (items.length === 0) return container([heading(label(title)), textBlock(label('None recorded.'))]);
  return container([heading(label(title)), ...lines(items, numbered)]);
}

function collapsedList(id: string, title: string, items: readonly string[]): CardElement {
  return container([
    heading(label(`${title} (${items.length})`)),
    container(lines(items, false), { id, isVisible: false }),
    actionSet([toggleVisibilityAction('Show / hide', [id])], { spacing: 'small' }),
  ]);
}

function timelineSection(timeline: IncidentReport['timeline']): CardElement {
  if (timeline.length === 0)
    return container([heading(label('Incident timeline')), textBlock(label('No timed events are known.'))]);
  const events = timeline.map((event, index) =>
    textBlock(joinText([cardTime(event.time), label('—'), text(event.description, LIMITS.listItem)], ' '), {
      size: 'small',
      spacing: index === 0 ? 'small' : 'none',
    }),
  );
  const items: CardElement[] = [heading(label('Incident timeline')), ...events.slice(0, visibleTimelineEvents)];
  if (events.length > visibleTimelineEvents) {
    items.push(
      container(events.slice(visibleTimelineEvents), { id: 'rep-timeline-more', isVisible: false, spacing: 'none' }),
    );
    items.push(
      actionSet([toggleVisibilityAction(`Show all ${events.length} events / fewer`, ['rep-timeline-more'])], {
        spacing: 'small',
      }),
    );
  }
  return container(items);
}

function technicalSection(report: IncidentReport): CardElement {
  const details = report.technicalDetails;
  const items: CardElement[] = [heading(label('Technical details'))];
  items.push(
    ...collapsibleText('rep-technical', text(details.summary, LIMITS.section), text(details.summary, LIMITS.preview)),
  );
  if (details.techniques.length > 0) items.push(...techniqueLines(details.techniques));
  if (details.indicators.length > 0) {
    const indicatorLines: CardText[] = details.indicators.map((indicator) =>
      joinText([text(indicator.type, LIMITS.label), text(indicator.value, LIMITS.factValue)], ': '),
    );
    items.push(
      textBlock(label(`Indicators (${details.indicators.length}, defanged)`), { weight: 'bolder', spacing: 'small' }),
    );
    items.push(textBlock(joinText(indicatorLines, '\n\n'), { size: 'small', spacing: 'none' }));
  }
  if (details.queries.length > 0) {
    const queries: CardElement[] = details.queries.flatMap((query) => [
      textBlock(
        joinText(
          [
            text(query.title, LIMITS.title),
            label(query.platform === 'defender' ? '(Defender advanced hunting)' : '(Microsoft Sentinel)'),
          ],
          ' ',
        ),
        { weight: 'bolder', size: 'small', spacing: 'small' },
      ),
      container([monospace(text(query.query, 3000))], { style: 'emphasis', spacing: 'none' }),
    ]);
    items.push(container(queries, { id: 'rep-queries', isVisible: false }));
    items.push(
      actionSet([toggleVisibilityAction(`Follow-up queries (${details.queries.length})`, ['rep-queries'])], {
        spacing: 'small',
      }),
    );
  }
  return container(items);
}

/** card-kit has no fontType option; the property is valid Adaptive Cards 1.5 and keeps KQL aligned. */
function monospace(content: CardText): TextBlock {
  return Object.assign(textBlock(content, { size: 'small' }), { fontType: 'monospace' as const });
}

function impactSection(impact: IncidentReport['impactAssessment']): CardElement {
  return container([
    heading(label('Impact assessment')),
    textBlock(text(impact.summary, LIMITS.section)),
    factSet(
      [
        { title: label('User accounts'), value: label(String(impact.affectedUsers)) },
        { title: label('Devices and resources'), value: label(String(impact.affectedAssets)) },
        { title: label('Data'), value: text(impact.dataImpact, LIMITS.factValue) },
      ],
      { spacing: 'small' },
    ),
  ]);
}

/** Other audiences of the same report and the investigation behind it. */
function actions(result: CapabilityResult<IncidentReport>): CardAction[] {
  const incidentId = (result.subject.incidentId ?? '').slice(0, 128);
  if (incidentId === '') return [];
  const report = result.result;
  const others: Array<[IncidentReport['audience'], string]> = [
    ['executive', 'Report for executives'],
    ['technical', 'Technical report'],
  ];
  return [
    ...others
      .filter(([audience]) => audience !== report.audience)
      .map(([audience, title]) =>
        executeAction(title, VERBS.reportIncident, { incidentId, audience, tlp: report.tlp }),
      ),
    executeAction('Investigate', VERBS.investigateIncident, { incidentId }),
  ];
}
