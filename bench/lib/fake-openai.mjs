import http from 'node:http';

/**
 * A loopback OpenAI-compatible server for the load benchmark (a plain .mjs sibling of test/support/fake-openai.ts,
 * which is TypeScript and not compiled into dist/). It answers POST /v1/chat/completions after a delay drawn per
 * request from a log-normal distribution (a model's latency has a long right tail), with a completion whose content
 * is a valid structured answer for the schema the bot asked for. A schema it has no answer for gets a 500, so a
 * bench that starts asking something new fails loudly instead of quietly measuring the offline fallback.
 */

/** Answers by the schema name the bot sends in `response_format.json_schema.name`. */
const answers = {
  alert_explanation: {
    headline: 'Someone ran a suspicious command on a company computer that may be the start of an attack.',
    whatHappened:
      'The security product saw a program on one of our computers behave the way attackers behave when they have ' +
      'just gained a foothold. It ran commands that collect information and reach out to the internet. The alert ' +
      'was raised automatically and nobody has looked at it yet.',
    whyItMatters:
      'If this is an attacker, they could use this computer to reach other systems and data. Acting quickly limits ' +
      'how far they can get.',
    immediateRisk: {
      level: 'critical',
      rationale: 'The activity matches known attacker behaviour and the alert is still open, so the risk is current.',
    },
    recommendedActions: [
      'Isolate the affected device from the network while the investigation runs.',
      'Check the signed-in account for other sign-ins and reset its password if anything looks wrong.',
      'Collect the process tree and the files it created for the investigation.',
      'Search for the same command line on other devices in the last seven days.',
    ],
    techniques: [],
    keyEntities: [],
  },
};

/** A deterministic generator (mulberry32), so two runs with the same seed get the same delays. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-normal delays with the given median and 95th percentile, capped at `maxMs`. */
export function logNormalDelays({ medianMs, p95Ms, maxMs, seed }) {
  const random = seededRandom(seed);
  const sigma = Math.log(Math.max(p95Ms, medianMs) / medianMs) / 1.6449;
  return () => {
    // Box-Muller; 1 - random() keeps the logarithm's argument above zero.
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.min(maxMs, medianMs * Math.exp(sigma * normal));
  };
}

function schemaNameOf(body) {
  const format = body?.response_format;
  if (format?.type === 'json_schema') return format.json_schema?.name;
  // json_object mode (a server that refused json_schema): the schema's name travels in the system message.
  const system = (body?.messages ?? []).find((message) => message.role === 'system');
  return /named "([^"]+)"/.exec(typeof system?.content === 'string' ? system.content : '')?.[1];
}

/** Starts the server; `nextDelayMs()` gives each request's delay. */
export async function startFakeOpenAi({ nextDelayMs }) {
  const stats = { requests: 0, bySchema: {}, unanswered: 0, delaysMs: [] };
  let nextId = 1;
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const path = (request.url ?? '').split('?')[0];
      if (request.method !== 'POST' || !/\/chat\/completions$/.test(path)) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `no route for ${request.method} ${path}` } }));
        return;
      }
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      stats.requests += 1;
      const schemaName = schemaNameOf(body) ?? '(none)';
      stats.bySchema[schemaName] = (stats.bySchema[schemaName] ?? 0) + 1;
      const answer = answers[schemaName];
      const delayMs = nextDelayMs();
      stats.delaysMs.push(delayMs);
      setTimeout(() => {
        if (!answer) {
          stats.unanswered += 1;
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({
              error: { message: `fake-openai has no answer for "${schemaName}"`, type: 'server_error' },
            }),
          );
          return;
        }
        const content = JSON.stringify(answer);
        const promptChars = JSON.stringify(body?.messages ?? []).length;
        const usage = {
          prompt_tokens: Math.ceil(promptChars / 4),
          completion_tokens: Math.ceil(content.length / 4),
        };
        usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            id: `chatcmpl-bench-${nextId++}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: body?.model ?? 'bench-model',
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
            usage,
          }),
        );
      }, delayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    stats,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
