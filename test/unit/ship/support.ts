import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repositoryRoot = resolve(__dirname, '..', '..', '..');

export function readRepositoryFile(...segments: string[]): string {
  return readFileSync(join(repositoryRoot, ...segments), 'utf8');
}

/**
 * The variables src/config.ts reads: the keys of its zod EnvironmentSchema (read from the source, since the schema
 * is not exported) plus the aliases it maps onto them (BOT_ID → MicrosoftAppId …).
 */
export function configVariables(): { schema: string[]; aliases: string[] } {
  const source = readRepositoryFile('src', 'config.ts');
  const start = source.indexOf('const EnvironmentSchema = z.object({');
  const end = source.indexOf('\n});', start);
  if (start < 0 || end < 0) throw new Error('src/config.ts: EnvironmentSchema not found');
  const schema = [...source.slice(start, end).matchAll(/^ {2}([A-Za-z_][A-Za-z0-9_]*):/gm)].map((match) => match[1]);
  const aliasStart = source.indexOf('const aliases: Record<string, string> = {');
  const aliasEnd = source.indexOf('};', aliasStart);
  const aliases = [...source.slice(aliasStart, aliasEnd).matchAll(/^ {2}([A-Za-z_][A-Za-z0-9_]*):/gm)].map(
    (match) => match[1],
  );
  return { schema, aliases };
}

/** KEY=VALUE lines of an env file (comments and blank lines skipped), as the Agents Toolkit and dotenv read them. */
export function readEnvFile(...segments: string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const rawLine of readRepositoryFile(...segments).split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) throw new Error(`${segments.join('/')}: not KEY=VALUE: ${line}`);
    values.set(match[1], match[2]);
  }
  return values;
}

/** The ${{NAME}} placeholders of a text, in order of first use. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((match) => match[1]))];
}
