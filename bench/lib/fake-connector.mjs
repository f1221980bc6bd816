import http from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * A loopback Bot Connector (the service at the activity's serviceUrl) for the benchmarks: the bot posts its
 * replies to POST /v3/conversations/{id}/activities[/{replyToId}] and updates cards with
 * PUT /v3/conversations/{id}/activities/{activityId}. A plain .mjs sibling of test/support/fake-connector.ts.
 * `onCall` gets each call with its arrival time (taken when the request reaches this process, before its body is
 * read) and the activity id answered, and nothing is kept, so a long run does not grow this process.
 */

const activityPath = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;

export async function startBenchConnector(onCall) {
  let nextId = 1;
  const server = http.createServer((request, response) => {
    const arrivedAt = performance.now();
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const path = decodeURI((request.url ?? '').split('?')[0]);
      const match = activityPath.exec(path);
      let body = {};
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        body = text ? JSON.parse(text) : {};
      } catch {
        body = { unparsable: true };
      }
      const activityId = match?.[2] && request.method === 'PUT' ? decodeURIComponent(match[2]) : `activity-${nextId++}`;
      onCall({
        method: request.method,
        path,
        matched: Boolean(match),
        conversationId: match ? decodeURIComponent(match[1]) : '',
        targetId: match?.[2] ? decodeURIComponent(match[2]) : undefined,
        activityId,
        body,
        arrivedAt,
      });
      if (!match) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'NotFound', message: `no route for ${path}` } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: activityId }));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

/** The Adaptive Card contents an activity carries, as JSON text (empty when it has none). */
export function cardTextsOf(activity) {
  return (activity?.attachments ?? [])
    .filter((attachment) => attachment?.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((attachment) => JSON.stringify(attachment.content));
}
