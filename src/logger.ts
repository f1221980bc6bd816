import pino from 'pino';
import type { AppConfig } from './config';

export type Logger = pino.Logger;

/**
 * Paths that may carry credentials or whole payloads. Pino replaces them before a line is written,
 * so a careless `logger.info({ headers })` still cannot leak a bearer token.
 */
export const redactedPaths = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["api-key"]',
  '*.headers["api-key"]',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'appPassword',
  '*.appPassword',
  'token',
  '*.token',
  'secret',
  '*.secret',
];

export function createLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'soc-copilot' },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (config.logFormat === 'pretty' && prettyAvailable()) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, singleLine: true } } });
  }
  return pino(options);
}

function prettyAvailable(): boolean {
  // pino-pretty is a dev dependency; a production install (npm ci --omit=dev) logs JSON.
  try {
    require.resolve('pino-pretty');
    return true;
  } catch (error) {
    if (error instanceof Error) return false;
    throw error;
  }
}

/** A logger that writes nothing, for tests and the CLI. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
