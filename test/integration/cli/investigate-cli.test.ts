import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '../../../src/cli/run';
import { InvestigationSchema } from '../../../src/copilot/investigate';
import { IncidentReportSchema } from '../../../src/copilot/report';
import { expectValidCard } from '../../support/cards';
import { describeWithSharedData, sharedDataPath } from '../../support/shared-data';
import { ensureBuilt, runBinary } from './cli-process';

/** `soc-copilot investigate` and `soc-copilot report`: in-process for the cases, the built binary once each. */

let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'soc-copilot-investigate-'));
  await ensureBuilt();
}, 180_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(args: string[], input = '') {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdin: Readable.from([Buffer.from(input)]),
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    environment: { LLM_PROVIDER: 'none' },
  });
  return { code, stdout, stderr };
}

describe('soc-copilot investigate', () => {
  it('investigates a demo incident by id and prints the typed result', async () => {
    const { code, stdout } = await run(['investigate', '42']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.capability).toBe('investigateIncident');
    expect(result.engine.kind).toBe('offline');
    expect(InvestigationSchema.parse(result.result).scope.users[0].userPrincipalName).toBe('priya.raman@contoso.com');
  });

  it('prints the card with --card', async () => {
    const { code, stdout } = await run(['investigate', '--card', '43']);
    expect(code).toBe(0);
    expectValidCard(JSON.parse(stdout));
  });

  it('reads a Graph incident with its alerts from standard input', async () => {
    const incident = {
      '@odata.type': '#microsoft.graph.security.incident',
      id: '9001',
      displayName: 'Pasted incident',
      severity: 'medium',
      status: 'active',
      createdDateTime: '2025-05-30T10:00:00Z',
      incidentWebUrl: 'https://security.microsoft.com/incidents/9001',
      alerts: [
        {
          '@odata.type': '#microsoft.graph.security.alert',
          id: 'pasted-1',
          title: 'Suspicious sign-in',
          severity: 'medium',
          status: 'new',
          serviceSource: 'azureAdIdentityProtection',
          createdDateTime: '2025-05-30T09:58:00Z',
          evidence: [
            {
              '@odata.type': '#microsoft.graph.security.userEvidence',
              roles: ['compromised'],
              userAccount: { userPrincipalName: 'pat@contoso.com', accountName: 'pat' },
            },
          ],
        },
      ],
    };
    const { code, stdout, stderr } = await run(['investigate', '-'], JSON.stringify(incident));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(stdout);
    expect(result.subject).toEqual({ incidentId: '9001' });
    expect(result.result.timeline.length).toBeGreaterThan(0);
  });

  it('refuses usage mistakes and unknown incidents with exit code 2', async () => {
    expect((await run(['investigate'])).code).toBe(2);
    const missing = await run(['investigate', '4242']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('4242');
    const notJson = path.join(scratch, 'broken.json');
    writeFileSync(notJson, '{ nope');
    expect((await run(['investigate', notJson])).stderr).toContain('not valid JSON');
    expect((await run(['investigate', path.join(scratch, 'absent.json')])).code).toBe(2);
  });
});

describe('soc-copilot report', () => {
  it('writes the executive report as Markdown with the TLP marking', async () => {
    const { code, stdout } = await run(['report', '42', '--audience', 'executive', '--markdown']);
    expect(code).toBe(0);
    expect(stdout.startsWith('**TLP:AMBER**')).toBe(true);
    expect(stdout).toContain('## Executive summary');
    expect(stdout).toContain('## Lessons learned');
    expect(stdout).toContain('Based on an investigation of incident 42');
  });

  it('prints the typed technical report, honouring --tlp, and the card with --card', async () => {
    const json = await run(['report', '43', '--audience', 'technical', '--tlp', 'red']);
    expect(json.code).toBe(0);
    const report = IncidentReportSchema.parse(JSON.parse(json.stdout).result);
    expect(report.tlp).toBe('RED');
    expect(report.technicalDetails.queries.length).toBeGreaterThan(0);
    const card = await run(['report', '43', '--audience', 'executive', '--card']);
    expectValidCard(JSON.parse(card.stdout));
  });

  it('refuses an unknown audience or marking', async () => {
    const audience = await run(['report', '42', '--audience', 'board']);
    expect(audience.code).toBe(2);
    expect(audience.stderr).toContain('--audience takes executive, technical, regulator');
    expect((await run(['report', '42', '--tlp', 'purple'])).code).toBe(2);
    expect((await run(['report', '42', '--markdown', '--card'])).code).toBe(2);
  });
});

describeWithSharedData(
  'soc-copilot investigate on the shared Sentinel alerts',
  sharedDataPath('alerts', 'sentinel-securityalert.dev.json'),
  () => {
    it('investigates a file holding an array of SecurityAlert rows', async () => {
      const rows = JSON.parse(
        readFileSync(sharedDataPath('alerts', 'sentinel-securityalert.dev.json'), 'utf8'),
      ) as unknown[];
      const file = path.join(scratch, 'alerts.json');
      writeFileSync(file, JSON.stringify(rows.slice(0, 12)));
      const { code, stdout, stderr } = await run(['investigate', file]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(InvestigationSchema.parse(JSON.parse(stdout).result).timeline.length).toBeGreaterThanOrEqual(12);
    });
  },
);

describe('the built binary', () => {
  it('runs investigate and report end to end', async () => {
    const investigated = await runBinary(['investigate', '45']);
    expect({ code: investigated.code, stderr: investigated.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(investigated.stdout).result.assessment.severity).toBe('high');
    const reported = await runBinary(['report', '45', '--audience', 'executive', '--markdown']);
    expect(reported.code).toBe(0);
    expect(reported.stdout).toContain('**TLP:AMBER**');
    const usage = await runBinary(['--help']);
    expect(usage.stdout).toContain('investigate INCIDENT_ID|FILE|-');
    expect(usage.stdout).toContain('report INCIDENT_ID --audience executive|technical');
  });
});
