import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Schema, Validator } from 'jsonschema';
import { type MessageIntent, matchMessageRoute } from '../../../src/teams/routes';
import { manifestOf, packageApp, sampleValues } from './package-app';
import { repositoryRoot } from './run-script';

const template = readFileSync(join(repositoryRoot, 'appPackage', 'manifest.json'), 'utf8');
const templateManifest = JSON.parse(template);

/**
 * The Microsoft 365 Agents Toolkit's manifest package (devDependency @microsoft/app-manifest) ships every published
 * Teams manifest schema; validating against the one the manifest names keeps this test honest when the manifest
 * moves to a newer version.
 */
function officialSchema(manifestVersion: string): Schema {
  const path = require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`,
  );
  return JSON.parse(readFileSync(path, 'utf8'));
}

function schemaErrors(manifest: unknown): string[] {
  const schema = officialSchema(templateManifest.manifestVersion);
  return new Validator().validate(manifest, schema).errors.map((error) => error.stack);
}

/** One real use of each command, as an analyst would type it after picking the command in Teams. */
const commandExamples: Record<string, { text: string; intent: MessageIntent }> = {
  help: { text: 'help', intent: 'help' },
  'explain alert': { text: 'explain alert da-1009', intent: 'explainAlertById' },
};

describe('appPackage/manifest.json', () => {
  let packaged: any;

  beforeAll(() => {
    packaged = manifestOf(packageApp(sampleValues));
  }, 60_000);

  it('uses exactly the placeholders that the env files provide', () => {
    const names = [...template.matchAll(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((match) => match[1]);
    expect(new Set(names)).toEqual(new Set(Object.keys(sampleValues)));
  });

  it('validates, once filled, against the official Teams schema of its manifestVersion', () => {
    expect(Number(templateManifest.manifestVersion)).toBeGreaterThanOrEqual(1.19);
    expect(templateManifest.$schema).toBe(
      `https://developer.microsoft.com/en-us/json-schemas/teams/v${templateManifest.manifestVersion}/MicrosoftTeams.schema.json`,
    );
    expect(schemaErrors(packaged)).toEqual([]);
  });

  it.each([
    ['a short name over 30 characters', (manifest: any) => (manifest.name.short = 'S'.repeat(31))],
    ['a bot id that is not a GUID', (manifest: any) => (manifest.bots[0].botId = 'soc-copilot-bot')],
    ['a property Teams does not know', (manifest: any) => (manifest.bots[0].supportsStreaming = true)],
    ['no developer privacy URL', (manifest: any) => delete manifest.developer.privacyUrl],
  ])('is checked by a validator that rejects %s', (_name, breakIt) => {
    const broken = structuredClone(packaged);
    breakIt(broken);
    expect(schemaErrors(broken)).not.toEqual([]);
  });

  it('fills the name, ids and domain from the environment', () => {
    expect(packaged.id).toBe(sampleValues.TEAMS_APP_ID);
    expect(packaged.bots[0].botId).toBe(sampleValues.BOT_ID);
    expect(packaged.validDomains).toEqual([sampleValues.BOT_DOMAIN]);
    expect(packaged.name.short).toBe('SOC Copilot (test)');
  });

  it('declares a conversational bot for channels, group chats and 1:1 chats, without files', () => {
    const [bot] = packaged.bots;
    expect(bot.scopes).toEqual(['team', 'groupChat', 'personal']);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.isNotificationOnly).toBe(false);
    expect(packaged.webApplicationInfo).toBeUndefined();
  });

  it('lists the same commands once for each scope', () => {
    const lists: { scopes: string[]; commands: { title: string; description: string }[] }[] =
      packaged.bots[0].commandLists;
    expect(lists.flatMap((list) => list.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const list of lists) expect(list.commands).toEqual(lists[0].commands);
    expect(lists[0].commands).toEqual([
      { title: 'help', description: 'Show what I can do' },
      { title: 'explain alert', description: 'Explain an alert: explain alert <id>' },
    ]);
  });

  it('offers only commands the bot routes', () => {
    const titles = new Set<string>(
      packaged.bots[0].commandLists.flatMap((list: any) => list.commands.map((command: any) => command.title)),
    );
    // A command added to the manifest needs an example here, so it cannot ship unrouted.
    expect([...titles].sort()).toEqual(Object.keys(commandExamples).sort());
    for (const title of titles) {
      const { text, intent } = commandExamples[title];
      expect(text.startsWith(title)).toBe(true);
      expect(matchMessageRoute(text)?.intent).toBe(intent);
    }
  });
});
