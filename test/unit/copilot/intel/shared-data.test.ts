import { readFileSync } from 'node:fs';
import { intelCard } from '../../../../src/cards/intel-card';
import { analyzeThreatIntel, ThreatIntelAnalysisSchema } from '../../../../src/copilot/intel';
import { parseIndicator } from '../../../../src/intel/enrichment';
import { normalizeAlert } from '../../../../src/sources/normalize';
import { expectValidCard, renderedText } from '../../../support/cards';
import { describeWithSharedData, sharedDataPath } from '../../../support/shared-data';
import { intelDependencies, ScriptedEnrichment } from './intel-support';

/** The offline engine over real data: the shared answer key of defanged indicators and the Sentinel alerts. */

const pairsFile = sharedDataPath('iocs', 'refang-pairs.dev.jsonl');
const alertsFile = sharedDataPath('alerts', 'sentinel-securityalert.dev.json');

describeWithSharedData('threat intel over the shared refang pairs', pairsFile, () => {
  const pairs = readFileSync(pairsFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { defanged: string; fanged: string });
  const batchSize = 20;

  it('finds the refanged indicator of nearly every pair, with schema-valid results and valid cards', async () => {
    const expected = pairs.flatMap((pair) => {
      const indicator = parseIndicator(pair.fanged);
      return indicator === undefined ? [] : [{ pair, indicator }];
    });
    expect(expected.length).toBeGreaterThan(300);
    let found = 0;
    for (let start = 0; start < expected.length; start += batchSize) {
      const batch = expected.slice(start, start + batchSize);
      const text = `Indicators from the report (block list candidates):\n${batch.map(({ pair }) => `- ${pair.defanged}`).join('\n')}`;
      const result = await analyzeThreatIntel({ text }, intelDependencies({ enrichment: new ScriptedEnrichment() }));
      const analysis = ThreatIntelAnalysisSchema.parse(result.result);
      const values = new Set(analysis.indicators.map((indicator) => `${indicator.type}:${indicator.value}`));
      found += batch.filter(({ indicator }) => values.has(`${indicator.type}:${indicator.value}`)).length;
      expect(analysis.actions).toHaveLength(analysis.indicators.length);
      const card = intelCard(result);
      expectValidCard(card);
      // Nothing in the card is live: every indicator it shows is defanged.
      for (const indicator of analysis.indicators.filter((entry) => entry.type === 'domain')) {
        expect(renderedText(card)).not.toMatch(
          new RegExp(`(?<![\\w.-])${indicator.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`),
        );
      }
    }
    expect(found / expected.length).toBeGreaterThanOrEqual(0.95);
  });
});

describeWithSharedData('threat intel over the entities of the shared Sentinel alerts', alertsFile, () => {
  const rows = JSON.parse(readFileSync(alertsFile, 'utf8')) as unknown[];

  it('analyses every alert’s entities with schema-valid results, ignores non-public addresses and fits the card', async () => {
    let analysed = 0;
    for (const row of rows) {
      const alert = normalizeAlert(row);
      const text = [
        alert.title,
        alert.description,
        ...alert.entities.map((entity) => `${entity.type}: ${entity.value}`),
      ].join('\n');
      const result = await analyzeThreatIntel({ text }, intelDependencies({ enrichment: new ScriptedEnrichment() }));
      const analysis = ThreatIntelAnalysisSchema.parse(result.result);
      for (const indicator of analysis.indicators) {
        const action = analysis.actions.find((candidate) => candidate.indicator === indicator.value);
        if (['private', 'loopback', 'documentation', 'reservedName'].includes(indicator.classification)) {
          expect(action?.action).toBe('ignore');
        }
      }
      const ips = alert.entities
        .filter((entity) => entity.type === 'ip')
        .map((entity) => parseIndicator(entity.value)?.value)
        .filter((value): value is string => value !== undefined);
      if (analysis.omittedIndicators === 0) {
        for (const ip of ips) expect(analysis.indicators.map((indicator) => indicator.value)).toContain(ip);
      }
      expectValidCard(intelCard(result));
      if (analysis.indicators.length > 0) analysed += 1;
    }
    expect(analysed).toBeGreaterThan(20);
  });
});
