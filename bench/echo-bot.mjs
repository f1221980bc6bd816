import { fileURLToPath } from 'node:url';
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';

/**
 * The baseline for the benchmark: the smallest Bot Framework bot on the same stack as ours (botbuilder
 * CloudAdapter without an app id, i.e. anonymous, and restify with the same body parser settings). What our
 * bot costs beyond this is our own per-turn work.
 */
export async function startEchoBot({ port = 0, host = '127.0.0.1' } = {}) {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  adapter.onTurnError = async (context, error) => {
    process.stderr.write(`echo bot: turn failed: ${error?.stack ?? error}\n`);
    await context.sendActivity('echo bot: the turn failed');
  };

  const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024, mapParams: false }));
  server.get('/readyz', (_request, response, next) => {
    response.send(200, { status: 'ready' });
    return next();
  });
  server.post('/api/messages', async (request, response) => {
    await adapter.process(request, response, async (context) => {
      if (context.activity.type === ActivityTypes.Message) {
        const text = context.activity.text ?? '';
        await context.sendActivity(`echo: ${text}`);
      }
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        // Keep-alive sockets from the load generator would otherwise hold the close open.
        server.server.closeAllConnections();
      }),
  };
}

// Run as a child process (bench/run.mjs forks it): listen on a free port and tell the parent which one.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const echoBot = await startEchoBot({ port: Number(process.env.PORT ?? 0) });
  if (process.send) process.send({ listening: echoBot.url });
  else console.log(`echo bot listening on ${echoBot.url}`);
  const stop = () => echoBot.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
