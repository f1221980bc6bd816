import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConceptAnswerSchema } from '../../../src/copilot/ask';
import { ThreatIntelAnalysisSchema } from '../../../src/copilot/intel';
import { expectValidCard, renderedText } from '../../support/cards';
import { ensureBuilt, runBinary, type CliRun } from './cli-process';

/** `soc-copilot intel` and `soc-copilot ask` as real processes: output, exit codes and streams. */
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'soc-copilot-intel-cli-'));
  await ensureBuilt();
}, 180_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function succeeded(run: CliRun): unknown {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(run.stdout);
}

describe('soc-copilot intel', () => {
  it('analyses a report file offline and prints the typed result', async () => {
    const file = path.join(scratch, 'report.txt');
    writeFileSync(
      file,
      'Mustang Panda phishing: lure hxxps://login-contoso-sso[.]com/reset, C2 185.220.101[.]4, dropper ' +
        '44d88612fea8a8f36de82e1278abb02f run via powershell -enc. Internal host 10.0.0[.]5 was hit.\n',
    );
    const result = succeeded(await runBinary(['intel', file])) as {
      capability: string;
      engine: { kind: string };
      result: unknown;
    };
    expect(result.capability).toBe('analyzeThreatIntel');
    expect(result.engine.kind).toBe('offline');
    const analysis = ThreatIntelAnalysisSchema.parse(result.result);
    expect(analysis.indicators.map((indicator) => indicator.value)).toEqual(
      expect.arrayContaining(['185.220.101.4', 'https://login-contoso-sso.com/reset', '10.0.0.5']),
    );
    expect(analysis.actions.find((action) => action.indicator === '10.0.0.5')?.action).toBe('ignore');
    expect(analysis.associations.map((association) => association.name)).toContain('Mustang Panda');
  });

  it('reads standard input and prints the card with --card', async () => {
    const card = succeeded(
      await runBinary(['intel', '--card', '-'], { input: 'analyze 203.0.113[.]7 evil[.]example' }),
    );
    expectValidCard(card);
    expect(renderedText(card)).toContain('203.0.113[.]7');
  });

  it('exits 2 with a one-line reason when there is nothing to analyse or no file', async () => {
    const empty = await runBinary(['intel', '-'], { input: 'nothing to see here' });
    expect(empty.code).toBe(2);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toMatch(/no IP address, domain, URL, file hash or attack technique/);
    const missing = await runBinary(['intel', path.join(scratch, 'absent.txt')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });
});

describe('soc-copilot ask', () => {
  it('answers a technique question grounded in ATT&CK', async () => {
    const result = succeeded(await runBinary(['ask', 'what is kerberoasting?'])) as { result: unknown };
    const answer = ConceptAnswerSchema.parse(result.result);
    expect(answer.grounded).toBe(true);
    expect(answer.techniques[0].id).toBe('T1558.003');
  });

  it('says when it has no grounded source, and prints the card with --card', async () => {
    const result = succeeded(await runBinary(['ask', 'what', 'is', 'a', 'honeytoken?'])) as { result: unknown };
    expect(ConceptAnswerSchema.parse(result.result).grounded).toBe(false);
    const card = succeeded(await runBinary(['ask', '--card', 'difference between pass-the-hash and pass-the-ticket']));
    expectValidCard(card);
    expect(renderedText(card)).toContain('T1550.003');
  });

  it('exits 2 without a question', async () => {
    const run = await runBinary(['ask']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ask needs a question/);
  });
});
