import { classifyIntent, MAXIMUM_CLASSIFIED_LENGTH } from '../../../../src/copilot/intent';
import { silentLogger } from '../../../../src/logger';
import { matchMessageRoute } from '../../../../src/teams/routes';
import { FakeLlmClient } from '../../../support/fake-llm';

const isCommand = (text: string) => matchMessageRoute(text) !== undefined;

function classify(llm: FakeLlmClient, request: string) {
  return classifyIntent(request, { llm, logger: silentLogger(), isCommand });
}

describe('classifyIntent', () => {
  it('turns a free-form request into a command that routes', async () => {
    const llm = new FakeLlmClient().answer({ command: 'alerts  high last 24h', alternatives: [], reason: 'a list' });
    await expect(classify(llm, 'anything nasty come in since yesterday?')).resolves.toEqual({
      kind: 'command',
      command: 'alerts high last 24h',
      reason: 'a list',
    });
    expect(llm.calls[0].schemaName).toBe('intent');
    // The request is fenced as data, and the system prompt lists the command language.
    expect(llm.calls[0].messages[1].content).toMatch(/^UNTRUSTED_DATA_BEGIN [0-9a-f]{16}/);
    expect(llm.calls[0].messages[0].content).toContain('investigate incident <incident id>');
  });

  it('does not believe an id the analyst did not write', async () => {
    const llm = new FakeLlmClient().answer({
      command: 'explain alert da-1004',
      alternatives: ['explain alert da-1009', 'alerts high'],
      reason: 'guess',
    });
    await expect(classify(llm, 'explain that credential theft alert')).resolves.toEqual({
      kind: 'clarify',
      choices: ['alerts high'],
      reason: 'guess',
    });
  });

  it('keeps ids the analyst did write, whatever their case', async () => {
    const llm = new FakeLlmClient().answer({ command: 'explain alert da-1004', alternatives: [], reason: '' });
    await expect(classify(llm, 'can u tell me what DA-1004 is about')).resolves.toMatchObject({
      kind: 'command',
      command: 'explain alert da-1004',
    });
  });

  it('drops commands that do not route, and says unknown when nothing is left', async () => {
    const llm = new FakeLlmClient().answer({
      command: 'delete all incidents',
      alternatives: ['format c:'],
      reason: 'asked to',
    });
    await expect(classify(llm, 'please delete all incidents')).resolves.toEqual({
      kind: 'unknown',
      reason: 'asked to',
    });
  });

  it('answers unknown when the model fails, and does not call it for long text', async () => {
    await expect(classify(new FakeLlmClient().unavailable(), 'what now?')).resolves.toMatchObject({ kind: 'unknown' });
    const llm = new FakeLlmClient();
    await expect(classify(llm, 'x'.repeat(MAXIMUM_CLASSIFIED_LENGTH + 1))).resolves.toMatchObject({ kind: 'unknown' });
    expect(llm.calls).toHaveLength(0);
  });

  it('lets a bug (not an LLM failure) surface', async () => {
    await expect(classify(new FakeLlmClient().fail(new TypeError('boom')), 'what now?')).rejects.toThrow('boom');
  });
});
