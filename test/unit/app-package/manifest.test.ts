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

/**
 * Real uses of each command, as an analyst sends them after picking the command in Teams (which types its title) and
 * adding an argument; each must reach the route the command's description promises.
 */
const commandExamples: Record<string, { texts: string[]; intent: MessageIntent }> = {
  help: { texts: ['help'], intent: 'help' },
  'explain alert': { texts: ['explain alert da-1009', 'explain alert sn-6006.'], intent: 'explainAlertById' },
  'analyze alert': { texts: ['analyze alert da-1004'], intent: 'analyzeAlertById' },
  'investigate incident': {
    texts: ['investigate incident 42', 'investigate incident #45'],
    intent: 'investigateIncidentById',
  },
  'report incident': {
    texts: [
      'report incident 42 for executives',
      'report incident 42 for technical',
      'report incident 42 for the regulator',
    ],
    intent: 'reportIncident',
  },
  'hunt for': { texts: ['hunt for encoded PowerShell', 'hunt for LSASS access in defender'], intent: 'huntForThreat' },
  kql: { texts: ['kql failed sign-ins from new countries last 24h'], intent: 'questionToKql' },
  'use this channel for alerts': {
    texts: ['use this channel for alerts', 'use this channel for alerts high and above'],
    intent: 'subscribeAlertFeed',
  },
};

/** The commands every scope lists; channels and group chats add the alert feed, which posts into a conversation. */
const commonCommands = [
  'help',
  'explain alert',
  'analyze alert',
  'investigate incident',
  'report incident',
  'hunt for',
  'kql',
];

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

  it('lists the commands for each scope once: the analyst commands everywhere, the alert feed in conversations', () => {
    const lists: { scopes: string[]; commands: { title: string; description: string }[] }[] =
      packaged.bots[0].commandLists;
    expect(lists.flatMap((list) => list.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
    const titlesFor = (scope: string) =>
      lists.find((list) => list.scopes.includes(scope))?.commands.map((command) => command.title);
    expect(titlesFor('personal')).toEqual(commonCommands);
    expect(titlesFor('team')).toEqual([...commonCommands, 'use this channel for alerts']);
    expect(titlesFor('groupChat')).toEqual(titlesFor('team'));
    for (const list of lists) {
      // Teams' limits: 10 commands per list, titles of 32 characters, descriptions of 128.
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const command of list.commands) {
        expect(command.title.length).toBeLessThanOrEqual(32);
        expect(command.description.length).toBeLessThanOrEqual(128);
      }
    }
  });

  it('offers only commands the bot routes, with the argument forms their descriptions show', () => {
    const commands: { title: string; description: string }[] = packaged.bots[0].commandLists.flatMap(
      (list: any) => list.commands,
    );
    const titles = new Set(commands.map((command) => command.title));
    // A command added to the manifest needs examples here, so it cannot ship unrouted.
    expect([...titles].sort()).toEqual(Object.keys(commandExamples).sort());
    for (const title of titles) {
      const { texts, intent } = commandExamples[title];
      for (const text of texts) {
        expect(text.startsWith(title)).toBe(true);
        expect({ text, intent: matchMessageRoute(text)?.intent }).toEqual({ text, intent });
      }
    }
    // The usage after "description: " starts with the title, so the description teaches the routed phrasing.
    for (const { title, description } of commands) {
      const usage = /: (.+)$/.exec(description)?.[1];
      if (title !== 'help') expect(usage?.startsWith(title)).toBe(true);
    }
  });
});
