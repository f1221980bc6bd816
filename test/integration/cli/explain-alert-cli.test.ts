import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '../../../src/cli/run';
import { AlertExplanationSchema, type AlertExplanation } from '../../../src/copilot/explain-alert/schema';
import type { CapabilityResult } from '../../../src/copilot/result';
import { defaultAttackKnowledge } from '../../../src/intel/attack/facts';
import { normalizeAlert } from '../../../src/sources/normalize';
import { expectValidCard } from '../../support/cards';
import type { FakeOpenAiServer } from '../../support/fake-openai';
import { chatMessagesOf, fakeReply, startFakeOpenAi, stopFakeOpenAi } from '../../support/fake-openai';
import { emptyFields, groundingProblems } from '../../unit/copilot/explain-alert/explain-alert-support';
import { cliPath, ensureBuilt, projectRoot, runBinary, type CliRun } from './cli-process';

/**
 * The CLI end to end: the built binary as a child process for what only a process shows (exit codes,
 * streams, the environment), and runCli in-process over all 133 shared Sentinel alerts for speed.
 */

const attack = defaultAttackKnowledge();
const fixtureDirectory = path.join(projectRoot, 'test', 'fixtures', 'alerts');
const sharedFolder = path.resolve(projectRoot, '..', 'shared');
const devAlertsFile = path.join(sharedFolder, 'data', 'alerts', 'sentinel-securityalert.dev.json');

let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'soc-copilot-cli-'));
  const started = Date.now();
  const state = await ensureBuilt();
  if (state === 'built') console.info(`Built dist/ for the CLI tests in ${Date.now() - started} ms.`);
}, 180_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function writeInput(name: string, content: unknown): string {
  const file = path.join(scratch, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function fixture(file: string): string {
  return path.join(fixtureDirectory, file);
}

/** The printed result, checked against the schema and for empty text; fails the test with the stderr when not. */
function parsedResult(run: CliRun): CapabilityResult<AlertExplanation> {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const result = JSON.parse(run.stdout) as CapabilityResult<AlertExplanation>;
  expect(result.capability).toBe('explainAlert');
  AlertExplanationSchema.parse(result.result);
  expect(emptyFields(result.result)).toEqual([]);
  return result;
}

/** A clear one-line message on stderr, no stack trace, nothing on stdout. */
function expectUsageFailure(run: CliRun, message: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^soc-copilot: /);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('the built CLI', () => {
  it('exists', () => {
    expect(existsSync(cliPath)).toBe(true);
  });

  it('explains the Graph alerts_v2 fixture with the offline engine', async () => {
    const file = fixture('graph-alert-v2.json');
    const alert = normalizeAlert(JSON.parse(readFileSync(file, 'utf8')));

    const result = parsedResult(await runBinary(['explain-alert', file]));

    expect(result.engine.kind).toBe('offline');
    expect(result.subject.alertId).toBe(alert.id);
    expect(result.result.techniques.map((technique) => technique.id)).toContain('T1059.001');
    expect(groundingProblems(result.result, alert, attack)).toEqual([]);
  });

  it('explains the Defender for Endpoint fixture read from standard input', async () => {
    const text = readFileSync(fixture('defender-api-alert.json'), 'utf8');
    const alert = normalizeAlert(JSON.parse(text));

    const result = parsedResult(await runBinary(['explain-alert', '-'], { input: text }));

    expect(result.result.techniques.map((technique) => technique.id)).toContain('T1003.001');
    expect(result.result.immediateRisk.level).toBe('critical');
    expect(groundingProblems(result.result, alert, attack)).toEqual([]);
  });

  it('reads a file that starts with a byte order mark, as PowerShell exports do', async () => {
    const file = writeInput('bom.json', `\uFEFF${readFileSync(fixture('graph-alert-v2.json'), 'utf8')}`);
    expect(parsedResult(await runBinary(['explain-alert', file])).engine.kind).toBe('offline');
  });

  it.each(['graph-alert-v2-url-click.json', 'sentinel-securityalert-strings.json', 'defender-api-alert.json'])(
    '--card prints a valid Adaptive Card for %s',
    async (file) => {
      const run = await runBinary(['explain-alert', '--card', fixture(file)]);

      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      const card = JSON.parse(run.stdout) as { type: string };
      expect(card.type).toBe('AdaptiveCard');
      expectValidCard(card);
      expect(run.stdout).toContain('Offline analysis — no LLM was used');
    },
  );

  it.each([
    ['an object of no known shape', '{"foo":1}', /none of these.*got an object with keys foo/],
    ['an array', '[{"SystemAlertId":"a"},{"SystemAlertId":"b"}]', /one object at a time/],
    ['a string', '"explain this please"', /got a string/],
    ['null', 'null', /got null/],
    ['an incident', readFileSync(fixture('graph-incident.json'), 'utf8'), /looks like an incident/],
  ])('rejects %s with exit code 2 and a clear reason', async (_name, content) => {
    const [fromFile, fromStdin] = await Promise.all([
      runBinary(['explain-alert', writeInput('other.json', content)]),
      runBinary(['explain-alert', '-'], { input: content }),
    ]);
    expectUsageFailure(fromFile, /./);
    expectUsageFailure(fromStdin, /./);
    expect(fromStdin.stderr).toBe(fromFile.stderr);
  });

  it.each([
    ['an object of no known shape', '{"foo":1}', /none of these.*got an object with keys foo/],
    ['an array', '[{"SystemAlertId":"a"},{"SystemAlertId":"b"}]', /got an array of 2 items; pass one object at a time/],
    ['a string', '"explain this please"', /got a string/],
  ])('names what was wrong with %s', async (_name, content, message) => {
    expectUsageFailure(await runBinary(['explain-alert', '-'], { input: content }), message);
  });

  it.each([
    ['broken JSON', '{"title": "Suspicious PowerShell",'],
    ['an empty input', ''],
    ['text', 'alert: suspicious powershell'],
  ])('rejects %s as not JSON, with exit code 2', async (_name, content) => {
    expectUsageFailure(await runBinary(['explain-alert', '-'], { input: content }), /the input is not valid JSON/);
  });

  it('says which file is missing, with exit code 2 and no stack trace', async () => {
    const missing = path.join(scratch, 'no-such-alert.json');
    expectUsageFailure(
      await runBinary(['explain-alert', missing]),
      new RegExp(`^soc-copilot: cannot read ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no such file\n$`),
    );
  });

  it('says a directory is not an alert file', async () => {
    expectUsageFailure(await runBinary(['explain-alert', scratch]), /cannot read .*: it is a directory/);
  });

  it('prints the usage with exit code 2 when run without arguments', async () => {
    const run = await runBinary([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: soc-copilot <command> [options]');
    expect(run.stderr).toContain('explain-alert FILE|-');
  });

  it('prints the usage with exit code 0 when asked for help', async () => {
    const [help, commandHelp] = await Promise.all([runBinary(['--help']), runBinary(['explain-alert', '--help'])]);
    for (const run of [help, commandHelp]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: soc-copilot');
      expect(run.stderr).toBe('');
    }
  });

  it('rejects unknown commands, unknown options and extra files with exit code 2', async () => {
    const runs = await Promise.all([
      runBinary(['frobnicate', 'x.json']),
      runBinary(['explain-alert', '--verbose', fixture('graph-alert-v2.json')]),
      runBinary(['explain-alert', fixture('graph-alert-v2.json'), fixture('defender-api-alert.json')]),
      runBinary(['explain-alert']),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2]);
    expect(runs[0].stderr).toMatch(/unknown command "frobnicate"/);
    expect(runs[1].stderr).toMatch(/Unknown option '--verbose'/);
    expect(runs[2].stderr).toMatch(/explain-alert needs one FILE/);
    expect(runs[3].stderr).toMatch(/explain-alert needs one FILE/);
    for (const run of runs) expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('names OPENAI_BASE_URL when the openai-compatible provider has no base URL', async () => {
    const run = await runBinary(['explain-alert', fixture('graph-alert-v2.json')], {
      environment: { OPENAI_API_KEY: 'sk-test-cli', LLM_PROVIDER: 'openai-compatible' },
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('OPENAI_BASE_URL');
    expect(run.stderr).not.toContain('sk-test-cli');
  });

  it('names a malformed variable', async () => {
    const run = await runBinary(['explain-alert', fixture('graph-alert-v2.json')], {
      environment: { LLM_PROVIDER: 'gpt' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/LLM_PROVIDER: must be one of/);
  });
});

describe('the built CLI with an LLM', () => {
  let server: FakeOpenAiServer;

  beforeAll(async () => {
    server = await startFakeOpenAi();
  });

  afterAll(async () => {
    await stopFakeOpenAi(server);
  });

  beforeEach(() => server.reset());

  function llmEnvironment(): Record<string, string> {
    return {
      LLM_PROVIDER: 'openai-compatible',
      OPENAI_BASE_URL: server.baseUrl,
      OPENAI_API_KEY: 'sk-test-cli',
      OPENAI_MODEL: 'local-model',
      LLM_MAX_RETRIES: '0',
    };
  }

  it('uses the model at OPENAI_BASE_URL', async () => {
    const answer: AlertExplanation = {
      headline: 'A hidden PowerShell command ran on eng-wks-022 and set itself up to run at every sign-in.',
      whatHappened: 'kenji.watanabe@contoso.com ran an encoded PowerShell command on eng-wks-022.contoso.com.',
      whyItMatters: 'Hidden PowerShell is a common way for attackers to install malware.',
      immediateRisk: { level: 'high', rationale: 'The command ran and the alert is not resolved.' },
      recommendedActions: ['Isolate eng-wks-022.contoso.com.'],
      techniques: [{ id: 'T1059.001', name: 'PowerShell', tactics: ['Execution'] }],
      keyEntities: [{ type: 'host', value: 'eng-wks-022.contoso.com' }],
    };
    server.enqueue(fakeReply.json(answer, { model: 'local-model-q4', usage: { total_tokens: 2000 } }));

    const result = parsedResult(
      await runBinary(['explain-alert', fixture('graph-alert-v2.json')], { environment: llmEnvironment() }),
    );

    expect(result.engine).toMatchObject({ kind: 'llm', provider: 'openai-compatible', model: 'local-model-q4' });
    expect(result.result.headline).toBe(answer.headline);
    expect(result.result.techniques[0].name).toBe('Command and Scripting Interpreter: PowerShell');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-test-cli');
    expect(chatMessagesOf(server.requests[0])[1].content).toContain('UNTRUSTED_DATA_BEGIN');
  });

  it('answers offline with a note, and exit code 0, when the model is down', async () => {
    server.enqueue(fakeReply.serverError(503));

    const result = parsedResult(
      await runBinary(['explain-alert', fixture('graph-alert-v2.json')], { environment: llmEnvironment() }),
    );

    expect(result.engine.kind).toBe('offline');
    expect(result.notes).toEqual([
      'The language model is not reachable right now. This answer comes from the offline engine instead.',
    ]);
    expect(server.requests).toHaveLength(1);
  });
});

describe('the CLI on the 133 shared Sentinel SecurityAlert rows', () => {
  if (!existsSync(devAlertsFile)) {
    it('needs ../shared/data/alerts/sentinel-securityalert.dev.json, which is absent here', () => {
      console.warn(`CLI dev-data tests not run: ${devAlertsFile} is absent.`);
      expect(existsSync(devAlertsFile)).toBe(false);
      expect(existsSync(sharedFolder) && existsSync(path.dirname(devAlertsFile))).toBe(false);
    });
    return;
  }

  const rows = JSON.parse(readFileSync(devAlertsFile, 'utf8')) as Array<Record<string, unknown>>;

  async function runInProcess(row: unknown) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['explain-alert', '-'], {
      stdin: Readable.from([Buffer.from(JSON.stringify(row))]),
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      environment: { LLM_PROVIDER: 'none' },
    });
    return { code, stdout, stderr };
  }

  it('has the 133 rows this test expects', () => {
    expect(rows).toHaveLength(133);
  });

  it('explains every row: exit 0, schema-valid, grounded, and techniques for the rows that describe a behaviour', async () => {
    const started = Date.now();
    const problems: string[] = [];
    const withoutTechniques: string[] = [];
    for (const [index, row] of rows.entries()) {
      const run = await runInProcess(row);
      if (run.code !== 0 || run.stderr !== '') {
        problems.push(`row ${index}: exit ${run.code}, ${run.stderr}`);
        continue;
      }
      const result = JSON.parse(run.stdout) as CapabilityResult<AlertExplanation>;
      const alert = normalizeAlert(row);
      const parsed = AlertExplanationSchema.safeParse(result.result);
      if (!parsed.success) problems.push(`row ${index}: ${parsed.error.message}`);
      if (result.engine.kind !== 'offline') problems.push(`row ${index}: engine ${result.engine.kind}`);
      for (const problem of [...emptyFields(result.result), ...groundingProblems(result.result, alert, attack)]) {
        problems.push(`row ${index} (${alert.title}): ${problem}`);
      }
      if (result.result.techniques.length === 0) withoutTechniques.push(alert.title);
    }
    const recognised = rows.length - withoutTechniques.length;
    console.info(
      `explain-alert CLI in-process: ${rows.length} rows in ${Date.now() - started} ms; ` +
        `techniques recognised for ${recognised}/${rows.length}; none for: ${[...new Set(withoutTechniques)].join('; ')}`,
    );

    expect(problems).toEqual([]);
    expect(recognised).toBeGreaterThanOrEqual(120);
    // A product self-test shows no attack technique, and must not be given one.
    expect(withoutTechniques).toContain('Azure Security Center test alert (not a threat)');
  }, 60_000);

  it('rates the product self-tests low and the rest by what they show', async () => {
    const levels = new Map<string, string>();
    for (const row of rows) {
      const run = await runInProcess(row);
      const result = JSON.parse(run.stdout) as CapabilityResult<AlertExplanation>;
      levels.set(String(row.AlertName), result.result.immediateRisk.level);
    }
    expect(levels.get('Azure Security Center test alert (not a threat)')).toBe('low');
    expect(levels.get('Suspected Kerberos Golden Ticket attack parameters observed')).toBe('high');
    expect(levels.get('Suspicious Volume Shadow Copy Activity')).toBe('critical');
  }, 60_000);

  const throughTheBinary = [
    'Azure Security Center test alert (not a threat)',
    'Suspicious Powershell Activity Detected',
    'Rare SVCHOST service group executed',
    'Successful RDP brute force attack',
    'Suspected Kerberos Golden Ticket attack parameters observed',
    'DC local group addition - Demo',
  ];

  it('gives the same answer through the built binary as in-process, for a handful of rows', async () => {
    const chosen = throughTheBinary.map((name) => {
      const row = rows.find((candidate) => candidate.AlertName === name);
      expect(row).toBeDefined();
      return row!;
    });
    const runs = await Promise.all(
      chosen.map((row, index) => runBinary(['explain-alert', writeInput(`row-${index}.json`, row)])),
    );
    for (const [index, run] of runs.entries()) {
      const fromBinary = parsedResult(run);
      const inProcess = JSON.parse((await runInProcess(chosen[index])).stdout) as CapabilityResult<AlertExplanation>;
      expect(fromBinary.result).toEqual(inProcess.result);
    }
    const informational = parsedResult(runs[2]);
    expect(informational.result.headline).toMatch(/^An informational alert/);
  }, 60_000);
});
