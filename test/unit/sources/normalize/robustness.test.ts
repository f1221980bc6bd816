import fc from 'fast-check';
import { AlertSchema, IncidentSchema } from '../../../../src/sources/model';
import {
  mapDefenderAlert,
  mapGraphAlert,
  mapGraphIncident,
  mapSentinelAlert,
  mapSentinelIncident,
} from '../../../../src/sources/normalize';
import { loadAlertFixture } from './load-fixture';

/**
 * A recognised shape with missing, null or oddly typed fields must still map to a schema-valid result.
 * Each property starts from a recorded payload and overwrites some of its fields with arbitrary JSON values.
 */

const receivedAt = new Date('2024-06-01T00:00:00Z');
const oddValue = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.object()), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
  fc.constantFrom('2019-01-12 06:41:44', 'not a date', '[{"$ref":"1"}]', '{"a":', 'T1059.001'),
);

function corruptedRecord(payload: Record<string, unknown>) {
  return fc
    .uniqueArray(fc.constantFrom(...Object.keys(payload)), { minLength: 1, maxLength: 8 })
    .chain((keys) => fc.tuple(...keys.map((key) => fc.tuple(fc.constant(key), oddValue))))
    .map((replacements) => ({ ...payload, ...Object.fromEntries(replacements) }));
}

function corrupted(fileName: string) {
  return corruptedRecord(loadAlertFixture(fileName));
}

const checks = [
  ['graph-alert-v2.json', (payload: unknown) => AlertSchema.parse(mapGraphAlert(payload, { receivedAt }))],
  ['graph-alert-v2-url-click.json', (payload: unknown) => AlertSchema.parse(mapGraphAlert(payload, { receivedAt }))],
  ['defender-api-alert.json', (payload: unknown) => AlertSchema.parse(mapDefenderAlert(payload, { receivedAt }))],
  [
    'sentinel-securityalert-strings.json',
    (payload: unknown) => AlertSchema.parse(mapSentinelAlert(payload, { receivedAt })),
  ],
  ['graph-incident.json', (payload: unknown) => IncidentSchema.parse(mapGraphIncident(payload, { receivedAt }))],
  [
    'sentinel-securityincident.json',
    (payload: unknown) => IncidentSchema.parse(mapSentinelIncident(payload, { receivedAt })),
  ],
] as const;

describe.each(checks)('mapping %s with corrupted fields', (fileName, mapAndValidate) => {
  it('always yields a schema-valid result', () => {
    fc.assert(
      fc.property(corrupted(fileName), (payload) => {
        mapAndValidate(payload);
      }),
      { numRuns: 300 },
    );
  });
});

it('maps corrupted evidence items without throwing', () => {
  const base = loadAlertFixture('graph-alert-v2.json');
  fc.assert(
    fc.property(
      fc.array(fc.oneof(oddValue, fc.record({ '@odata.type': fc.string() })), { maxLength: 5 }),
      (evidence) => {
        AlertSchema.parse(mapGraphAlert({ ...base, evidence }));
        AlertSchema.parse(mapSentinelAlert({ SystemAlertId: 'x', Entities: evidence }));
        AlertSchema.parse(mapDefenderAlert({ id: 'y', alertCreationTime: '2024-01-01T00:00:00Z', evidence }));
      },
    ),
    { numRuns: 300 },
  );
});

it('maps recorded evidence and entities whose nested fields are corrupted', () => {
  const graph = loadAlertFixture('graph-alert-v2.json');
  const graphEvidence = (graph.evidence as Array<Record<string, unknown>>).map(corruptedRecord);
  const defender = loadAlertFixture('defender-api-alert.json');
  const defenderEvidence = (defender.evidence as Array<Record<string, unknown>>).map(corruptedRecord);
  const sentinel = loadAlertFixture('sentinel-securityalert-strings.json');
  const sentinelEntities = (JSON.parse(String(sentinel.Entities)) as Array<Record<string, unknown>>).map(
    corruptedRecord,
  );
  fc.assert(
    fc.property(
      fc.tuple(...graphEvidence),
      fc.tuple(...defenderEvidence),
      fc.tuple(...sentinelEntities),
      (evidence, defenderItems, entities) => {
        AlertSchema.parse(mapGraphAlert({ ...graph, evidence }));
        AlertSchema.parse(mapDefenderAlert({ ...defender, evidence: defenderItems }));
        AlertSchema.parse(mapSentinelAlert({ ...sentinel, Entities: entities }));
        AlertSchema.parse(mapSentinelAlert({ ...sentinel, Entities: JSON.stringify(entities) }));
      },
    ),
    { numRuns: 200 },
  );
});
