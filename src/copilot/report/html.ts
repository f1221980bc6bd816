import { defangText } from '../../intel/defang';
import type { CapabilityResult } from '../result';
import type { IncidentReport } from './schema';

/**
 * The report as one self-contained HTML file: inline CSS only, no scripts, no images, no links and no external
 * resources, and a Content-Security-Policy that forbids them anyway. Every text is defanged, then HTML-escaped
 * (alert data and model output are attacker-influenced). Pure: the same result always gives the same file.
 */
export function reportHtml(result: CapabilityResult<IncidentReport>): string {
  const report = result.result;
  const tlp = `TLP:${report.tlp}`;
  const colour = tlpColours[report.tlp] ?? '#ffc000';
  const parts: string[] = [];
  parts.push(`<div class="tlp" style="color:${colour}">${esc(tlp)}</div>`);
  parts.push(`<h1>${esc(report.title)}</h1>`);
  parts.push(
    `<p class="meta">Audience: ${esc(report.audience)} · Generated ${esc(result.generatedAt)} · ${esc(engineText(result))}</p>`,
  );
  parts.push(`<blockquote>${esc(report.basis)}</blockquote>`);
  parts.push(section('Executive summary', `<p>${esc(report.executiveSummary)}</p>`));
  if (report.decisionsNeeded.length > 0) parts.push(section('Decisions needed', list(report.decisionsNeeded)));
  parts.push(
    section(
      'Incident timeline',
      report.timeline.length === 0
        ? '<p>No timed events are known.</p>'
        : `<ul>${report.timeline
            .map((event) => `<li><b>${esc(event.time)}</b> ${esc(event.description)}</li>`)
            .join('')}</ul>`,
    ),
  );
  const technical: string[] = [`<p>${esc(report.technicalDetails.summary)}</p>`];
  if (report.technicalDetails.techniques.length > 0) {
    technical.push('<h3>MITRE ATT&amp;CK techniques</h3>');
    technical.push(
      list(
        report.technicalDetails.techniques.map(
          (technique) =>
            `${technique.id} ${technique.name}${technique.tactics.length > 0 ? ` — ${technique.tactics.join(', ')}` : ''}`,
        ),
      ),
    );
  }
  if (report.technicalDetails.indicators.length > 0) {
    technical.push('<h3>Indicators (defanged)</h3>');
    technical.push(
      `<ul>${report.technicalDetails.indicators
        .map((indicator) => `<li>${esc(indicator.type)}: <code>${esc(indicator.value)}</code></li>`)
        .join('')}</ul>`,
    );
  }
  for (const query of report.technicalDetails.queries) {
    technical.push(
      `<h3>${esc(query.title)} (${query.platform === 'defender' ? 'Defender advanced hunting' : 'Microsoft Sentinel'})</h3>`,
    );
    technical.push(`<pre>${esc(query.query)}</pre>`);
  }
  parts.push(section('Technical details', technical.join('')));
  const impact = report.impactAssessment;
  parts.push(
    section(
      'Impact assessment',
      `<p>${esc(impact.summary)}</p><ul><li>Affected user accounts: ${impact.affectedUsers}</li>` +
        `<li>Affected devices and resources: ${impact.affectedAssets}</li><li>Data: ${esc(impact.dataImpact)}</li></ul>`,
    ),
  );
  parts.push(section('Response actions taken', list(report.responseActionsTaken, 'None recorded.')));
  parts.push(
    section('Recommendations', `<ol>${report.recommendations.map((item) => `<li>${esc(item)}</li>`).join('')}</ol>`),
  );
  parts.push(section('Lessons learned', list(report.lessonsLearned, 'None yet.')));
  if (report.gaps.length > 0) parts.push(section('Data that could not be read', list(report.gaps)));
  if (result.notes.length > 0) parts.push(section('Notes', list(result.notes)));
  parts.push(`<div class="tlp" style="color:${colour}">${esc(tlp)}</div>`);

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(`${tlp} ${report.title}`)}</title>`,
    `<style>${css}</style>`,
    '</head>',
    '<body>',
    ...parts,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const tlpColours: Record<string, string> = {
  RED: '#ff2b2b',
  'AMBER+STRICT': '#ffc000',
  AMBER: '#ffc000',
  GREEN: '#33ff00',
  CLEAR: '#ffffff',
};

const css =
  'body{font-family:Segoe UI,Helvetica,Arial,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}' +
  '.tlp{background:#000;display:inline-block;padding:.2em .6em;font-weight:bold;font-family:monospace}' +
  '.meta{color:#666;font-size:.9em}blockquote{border-left:4px solid #ccc;margin:1em 0;padding:.2em 1em;color:#444}' +
  'pre{background:#f4f4f4;padding:.8em;white-space:pre-wrap;word-break:break-word}code{background:#f4f4f4}' +
  'h2{border-bottom:1px solid #ddd;padding-bottom:.2em}';

function section(title: string, body: string): string {
  return `<section><h2>${esc(title)}</h2>${body}</section>`;
}

function list(items: readonly string[], empty = ''): string {
  if (items.length === 0) return empty === '' ? '' : `<p>${esc(empty)}</p>`;
  return `<ul>${items.map((item) => `<li>${esc(item)}</li>`).join('')}</ul>`;
}

function engineText(result: CapabilityResult<IncidentReport>): string {
  if (result.engine.kind === 'offline') return 'offline analysis, no LLM was used';
  return `written by ${result.engine.model} (${result.engine.usage.totalTokens} tokens)`;
}

/** Defanged (no live URL, domain or address), then every HTML-significant character escaped. */
function esc(text: string): string {
  return defangText(text).replace(
    /[&<>"'`]/g,
    (character) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[character] ?? '',
  );
}
