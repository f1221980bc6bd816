import { findingsCard } from '../../../src/cards/findings-card';
import type { HuntRunResult } from '../../../src/copilot/hunt/run';
import type { HuntingQueryResult } from '../../../src/copilot/hunt/schema';
import { reportIncident } from '../../../src/copilot/report';
import type { CapabilityResult } from '../../../src/copilot/result';
import {
  huntFinding,
  listFindings,
  queryRunFinding,
  recordFinding,
  type Finding,
  type HuntFindingResult,
  type QueryRunFindingResult,
} from '../../../src/findings';
import { silentLogger } from '../../../src/logger';
import { MemoryStore } from '../../../src/store';
import { renderedText } from '../../support/cards';
import { contextDependencies } from '../copilot/context/context-support';

const by = { aadObjectId: 'aad-1', name: 'Dana Analyst' };
const query = 'DeviceProcessEvents\n| where Timestamp > ago(7d)\n| where ProcessCommandLine has "-enc"';

function hunt(overrides: Partial<HuntingQueryResult> = {}): CapabilityResult<HuntingQueryResult> {
  return {
    capability: 'generateHuntingQuery',
    result: {
      query,
      platform: 'defender',
      validation: { status: 'validated', diagnostics: [] },
      detects: 'Encoded PowerShell command lines',
      expectedFalsePositives: [],
      tuning: [],
      explanation: '',
      techniques: [{ id: 'T1059.001', name: 'PowerShell', tactics: ['execution'] }],
      ...overrides,
    },
    engine: {
      kind: 'llm',
      provider: 'openai',
      model: 'gpt-4o',
      usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
      durationMs: 900,
    },
    notes: [],
    subject: {},
    generatedAt: '2026-11-27T12:00:00.000Z',
  };
}

function run(overrides: Partial<HuntRunResult> = {}): CapabilityResult<HuntRunResult> {
  return {
    capability: 'runHuntingQuery',
    result: {
      query,
      platform: 'defender',
      status: 'completed',
      validation: { diagnostics: [] },
      columns: [
        { name: 'Count', type: 'long' },
        { name: 'Timestamp', type: 'datetime' },
        { name: 'DeviceName', type: 'string' },
        { name: 'ProcessCommandLine', type: 'string' },
      ],
      rows: [
        {
          Count: 1,
          Timestamp: '2026-11-27T09:00:00Z',
          DeviceName: 'ws-01',
          ProcessCommandLine: 'psexec \\\\fs01 -u admin -p Winter2026!Secret',
        },
        { Count: 2, Timestamp: '2026-11-27T09:05:00Z', DeviceName: 'ws-02', ProcessCommandLine: 'x'.repeat(500) },
        { Count: 3, Timestamp: '2026-11-27T09:06:00Z', DeviceName: 'ws-03', ProcessCommandLine: 'y' },
        { Count: 4, Timestamp: '2026-11-27T09:07:00Z', DeviceName: 'ws-04', ProcessCommandLine: 'z' },
      ],
      rowCount: 4,
      truncated: true,
      source: 'demo',
      ...overrides,
    },
    engine: { kind: 'offline', durationMs: 42 },
    notes: [],
    subject: {},
    generatedAt: '2026-11-27T12:05:00.000Z',
  };
}

describe('hunts as findings', () => {
  it('files a hunting query under its incident and alert, with who, engine, request and query', () => {
    const finding = huntFinding(hunt(), {
      by,
      subject: { incidentId: '42', alertId: 'da-1004' },
      request: 'encoded PowerShell with password=Hunter2Hunter2x',
    });
    expect(finding).toMatchObject({
      capability: 'hunt',
      by,
      engine: { kind: 'llm', model: 'gpt-4o' },
      incidentId: '42',
      alertIds: ['da-1004'],
      at: new Date('2026-11-27T12:00:00.000Z'),
    });
    expect(finding?.summary).toBe(
      'Hunting query for Defender advanced hunting (validated): Encoded PowerShell command lines',
    );
    const result = finding?.result as HuntFindingResult;
    expect(result).toMatchObject({
      kind: 'generateHuntingQuery',
      platform: 'defender',
      query,
      techniques: ['T1059.001'],
    });
    expect(result.request).toContain('encoded PowerShell');
    expect(result.request).not.toContain('Hunter2Hunter2x');
  });

  it('files nothing without an incident or alert, or without a query', () => {
    expect(huntFinding(hunt(), { by, subject: undefined })).toBeUndefined();
    expect(huntFinding(hunt(), { by, subject: {} })).toBeUndefined();
    expect(huntFinding(hunt({ query: undefined }), { by, subject: { incidentId: '42' } })).toBeUndefined();
    expect(queryRunFinding(run(), { by, subject: undefined })).toBeUndefined();
    expect(queryRunFinding(run({ status: 'rejected' }), { by, subject: { incidentId: '42' } })).toBeUndefined();
  });

  it('files a query run with a summary of its results: rows, truncation, columns, key values of the first rows', () => {
    const finding = queryRunFinding(run(), { by, subject: { alertId: 'da-1004' } });
    expect(finding).toMatchObject({ capability: 'runHuntingQuery', incidentId: undefined, alertIds: ['da-1004'] });
    expect(finding?.summary).toBe('Query run on Defender advanced hunting (demo): 4+ rows in 42 ms');
    const result = finding?.result as QueryRunFindingResult;
    expect(result).toMatchObject({
      query,
      platform: 'defender',
      source: 'demo',
      rowCount: 4,
      truncated: true,
      durationMs: 42,
    });
    expect(result.columns).toEqual(['Count', 'Timestamp', 'DeviceName', 'ProcessCommandLine']);
    expect(result.sampleRows).toHaveLength(3);
    // Key columns first (time, device, command line), then the rest; values redacted and cut short.
    expect(Object.keys(result.sampleRows[0])).toEqual(['Timestamp', 'DeviceName', 'ProcessCommandLine', 'Count']);
    expect(result.sampleRows[0].ProcessCommandLine).not.toContain('Winter2026!Secret');
    expect(result.sampleRows[1].ProcessCommandLine.length).toBeLessThanOrEqual(120);
  });

  it('are listed for the incident with their query on the findings card', async () => {
    const store = new MemoryStore();
    await recordFinding(store, huntFinding(hunt(), { by, subject: { incidentId: '42' } })!);
    await recordFinding(store, queryRunFinding(run(), { by, subject: { incidentId: '42' } })!);
    const findings = await listFindings(store, { incidentId: '42' });
    expect(findings.map((finding) => finding.capability)).toEqual(['runHuntingQuery', 'hunt']);
    const shown = renderedText(findingsCard({ kind: 'incident', id: '42' }, findings));
    expect(shown).toContain('Query run');
    expect(shown).toContain('Hunting query');
    expect(shown).toContain('4+ rows');
    expect(shown).toContain('ProcessCommandLine has "-enc"');
  });
});

describe('hunts in the incident report', () => {
  const logger = silentLogger();
  const stored = (capability: string, result: unknown, at: string): Finding => ({
    capability,
    by: { name: 'Dana Analyst' },
    at,
    engine: { kind: 'offline' },
    incidentId: '42',
    alertIds: [],
    summary: capability,
    result,
  });
  const findings = [
    stored(
      'runHuntingQuery',
      { query, platform: 'defender', rowCount: 4, truncated: false },
      '2026-11-27T12:05:00.000Z',
    ),
    stored('hunt', { query, platform: 'defender' }, '2026-11-27T12:00:00.000Z'),
    stored(
      'hunt',
      { query: 'SigninLogs | where TimeGenerated > ago(1d)', platform: 'sentinel' },
      '2026-11-27T11:00:00.000Z',
    ),
  ];

  it('lead the technical report queries, each query once, with who ran it', async () => {
    const { report } = await reportIncident(
      '42',
      { ...contextDependencies(), logger },
      { audience: 'technical', findings },
    );
    const queries = report.result.technicalDetails.queries;
    expect(queries[0]).toEqual({
      title: 'Hunt run by Dana Analyst at 2026-11-27 12:05 UTC: 4 row(s)',
      platform: 'defender',
      query,
    });
    expect(queries[1]).toEqual({
      title: 'Hunting query by Dana Analyst at 2026-11-27 11:00 UTC',
      platform: 'sentinel',
      query: 'SigninLogs | where TimeGenerated > ago(1d)',
    });
    expect(queries.filter((item) => item.query === query)).toHaveLength(1);
    expect(queries.length).toBeLessThanOrEqual(8);
  });

  it('stay out of the executive report', async () => {
    const { report } = await reportIncident(
      '42',
      { ...contextDependencies(), logger },
      { audience: 'executive', findings },
    );
    expect(report.result.technicalDetails.queries).toEqual([]);
  });
});
