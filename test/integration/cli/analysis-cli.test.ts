import path from 'node:path';
import { readFileSync } from 'node:fs';
import { AlertAnalysisSchema } from '../../../src/copilot/analyze-alert/schema';
import { RemediationSchema } from '../../../src/copilot/remediate/schema';
import { TriageSchema } from '../../../src/copilot/triage/schema';
import { expectValidCard } from '../../support/cards';
import { ensureBuilt, projectRoot, runBinary, type CliRun } from './cli-process';

/** analyze-alert, triage and remediate as the built binary: streams, exit codes, JSON and cards. */

const fixture = (file: string) => path.join(projectRoot, 'test', 'fixtures', 'alerts', file);

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

function printed(run: CliRun): any {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(run.stdout);
}

describe('soc-copilot analyze-alert', () => {
  it('analyses the Defender fixture from a file and from standard input alike', async () => {
    const file = fixture('defender-api-alert.json');
    const [fromFile, fromStdin] = await Promise.all([
      runBinary(['analyze-alert', file]),
      runBinary(['analyze-alert', '-'], { input: readFileSync(file, 'utf8') }),
    ]);
    const result = printed(fromFile);
    expect(result.capability).toBe('analyzeAlert');
    expect(result.engine.kind).toBe('offline');
    AlertAnalysisSchema.parse(result.result);
    expect(result.result.techniques.map((technique: { id: string }) => technique.id)).toContain('T1003.001');
    expect(printed(fromStdin).result.techniques).toEqual(result.result.techniques);
  });

  it('prints a valid card with --card', async () => {
    const card = printed(await runBinary(['analyze-alert', '--card', fixture('graph-alert-v2.json')]));
    expectValidCard(card);
  });

  it('rejects a missing file with exit code 2 and one line', async () => {
    const run = await runBinary(['analyze-alert', path.join(projectRoot, 'no-such-alert.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^soc-copilot: cannot read .*no such file/);
  });
});

describe('soc-copilot triage', () => {
  it('ranks the demo queue, --top limiting it', async () => {
    const result = printed(await runBinary(['triage', '--top', '3']));
    TriageSchema.parse(result.result);
    expect(result.result.alerts).toHaveLength(3);
    expect(result.result.alerts[0].score).toBeGreaterThanOrEqual(result.result.alerts[2].score);
  });

  it('refuses a bad --top with exit code 2', async () => {
    const run = await runBinary(['triage', '--top', 'many']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--top takes a whole number/);
  });
});

describe('soc-copilot remediate', () => {
  it('writes response guidance for a demo alert id, an incident id and an alert file', async () => {
    const [alert, incident, file] = await Promise.all([
      runBinary(['remediate', 'da-1009']),
      runBinary(['remediate', '45']),
      runBinary(['remediate', fixture('defender-api-alert.json')]),
    ]);
    const byAlert = printed(alert);
    RemediationSchema.parse(byAlert.result);
    expect(byAlert.result.steps[0].kind).toBe('isolateDevice');
    expect(printed(incident).result.subject).toMatchObject({ kind: 'incident', id: '45' });
    expect(printed(file).result.subject.kind).toBe('alert');
  });

  it('prints a valid card with --card', async () => {
    expectValidCard(printed(await runBinary(['remediate', '--card', 'da-1004'])));
  });

  it('says when the id is unknown, with exit code 2', async () => {
    const run = await runBinary(['remediate', 'zz-404']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('zz-404');
  });
});
