import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';

/** Production entry point: `npm start` (node dist/index.js). */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`soc-copilot: cannot start. ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  guardClosedOutput();
  const logger = createLogger(config);
  // Loaded after the configuration is known to be good, so a bad variable fails fast without loading the SDKs.
  const { startBot } = await import('./bootstrap');
  const bot = await startBot(config, logger);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, inFlight: bot.server.inFlight() }, 'shutting down: finishing in-flight turns');
    // If something in shutdown hangs, the platform's kill is the last resort; do not wait for it.
    setTimeout(() => process.exit(1), 20_000).unref();
    bot
      .shutdown()
      .then(() => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // A promise nobody awaited must not take the whole bot down; it is a bug to log, not a reason to exit.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection');
  });
}

/**
 * A supervisor that stopped reading our output (closed pipe) must not stop the bot from shutting down:
 * writes to a closed stdout raise EPIPE, which would otherwise surface as an unhandled error.
 */
function guardClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`soc-copilot: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
