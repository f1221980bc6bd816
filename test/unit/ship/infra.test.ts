import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { configVariables, readRepositoryFile, repositoryRoot } from './support';

/**
 * No Bicep compiler here (`az bicep build` needs the Azure CLI and a download) and no maintained Bicep parser on npm,
 * so this reads the templates as text: parameters documented, app settings wired to what src/config.ts reads,
 * secrets only as Key Vault references, and the resources the deployment promises.
 */
const bicepFiles = readdirSync(join(repositoryRoot, 'infra')).filter((name) => name.endsWith('.bicep'));
const main = readRepositoryFile('infra', 'main.bicep');

function parameters(source: string): { name: string; secure: boolean }[] {
  return [...source.matchAll(/((?:^@.*\n)*)^param\s+([A-Za-z_][A-Za-z0-9_]*)\s/gm)].map((match) => ({
    name: match[2],
    secure: /^@secure\(\)/m.test(match[1]),
  }));
}

/** The setting names between the app-settings markers (comments and string literals removed first). */
function appSettingNames(source: string): string[] {
  const begin = source.indexOf('// app-settings:begin');
  const end = source.indexOf('// app-settings:end');
  expect(begin).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(begin);
  const block = source
    .slice(begin, end)
    .replace(/\/\/.*$/gm, '')
    .replace(/'(?:[^'\\]|\\.)*'/g, "''");
  return [...new Set([...block.matchAll(/(?:^|[{\s,])([A-Za-z_][A-Za-z0-9_]*):\s/gm)].map((match) => match[1]))];
}

/** Settings of the host (App Service, Application Insights), not read by the app. */
const platformSettings = [
  'SCM_DO_BUILD_DURING_DEPLOYMENT',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'ApplicationInsightsAgent_EXTENSION_VERSION',
];

describe('infra/*.bicep', () => {
  it('documents every parameter in docs/deploy.md', () => {
    const documentation = readRepositoryFile('docs', 'deploy.md');
    expect(bicepFiles).toContain('main.bicep');
    const undocumented = bicepFiles.flatMap((file) =>
      parameters(readRepositoryFile('infra', file))
        .map((parameter) => parameter.name)
        .filter((name) => !documentation.includes(`\`${name}\``))
        .map((name) => `${file}: ${name}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('marks every secret parameter @secure()', () => {
    for (const parameter of parameters(main)) {
      if (/password|secret|apikey/i.test(parameter.name)) expect(parameter).toEqual({ ...parameter, secure: true });
    }
  });

  it('sets only app settings that src/config.ts reads, and the ones a deployment needs', () => {
    const { schema, aliases } = configVariables();
    const known = new Set([...schema, ...aliases]);
    const names = appSettingNames(main);
    expect(names.filter((name) => !known.has(name))).toEqual([]);
    expect(names).toEqual(
      expect.arrayContaining([
        'NODE_ENV',
        'MicrosoftAppId',
        'MicrosoftAppType',
        'MicrosoftAppTenantId',
        'AZURE_CLIENT_ID',
        'STORE',
        'AZURE_STORAGE_ACCOUNT_URL',
        'AZURE_STORAGE_CONTAINER',
        'SECURITY_SOURCE',
        'LLM_PROVIDER',
      ]),
    );
    for (const name of platformSettings) expect(main).toContain(`${name}: `);
    expect(main).toMatch(/properties: union\(appSettings, platformSettings\)/);
  });

  it.each([
    'MicrosoftAppPassword',
    'OPENAI_API_KEY',
    'AZURE_OPENAI_API_KEY',
    'ALERTS_WEBHOOK_SECRET',
    'VIRUSTOTAL_API_KEY',
    'ABUSEIPDB_API_KEY',
    'OTX_API_KEY',
  ])('passes %s only as a Key Vault reference', (name) => {
    const assignments = [...main.matchAll(new RegExp(`\\b${name}: (.*)$`, 'gm'))].map((match) => match[1]);
    expect(assignments.length).toBeGreaterThan(0);
    for (const value of assignments) expect(value).toMatch(/^secretReference\(keyVault\.name, '[a-z-]+'\)/);
  });

  it('declares the resources the deployment promises', () => {
    const resourceTypes = [...main.matchAll(/^resource\s+\w+\s+'([^@']+)@[^']+'/gm)].map((match) => match[1]);
    expect(resourceTypes).toEqual(
      expect.arrayContaining([
        'Microsoft.ManagedIdentity/userAssignedIdentities',
        'Microsoft.Storage/storageAccounts',
        'Microsoft.Storage/storageAccounts/blobServices/containers',
        'Microsoft.KeyVault/vaults',
        'Microsoft.KeyVault/vaults/secrets',
        'Microsoft.Insights/components',
        'Microsoft.Web/serverfarms',
        'Microsoft.Web/sites',
        'Microsoft.BotService/botServices',
        'Microsoft.BotService/botServices/channels',
        'Microsoft.CognitiveServices/accounts',
        'Microsoft.CognitiveServices/accounts/deployments',
      ]),
    );
    expect(main).toContain("linuxFxVersion: 'NODE|20-lts'");
    expect(main).toContain("appCommandLine: 'node dist/index.js'");
    expect(main).toContain("healthCheckPath: '/healthz'");
    expect(main).toContain("channelName: 'MsTeamsChannel'");
    expect(main).toMatch(/@allowed\(\['UserAssignedMSI', 'SingleTenant'\]\)\nparam botAppType/);
    // Azure OpenAI only behind its parameter; storage without shared keys or public blobs.
    expect(main).toMatch(/resource openAI '[^']+' = if \(deployAzureOpenAI\)/);
    expect(main).toContain('allowSharedKeyAccess: false');
    expect(main).toContain('allowBlobPublicAccess: false');
  });

  it('main.parameters.json sets only parameters main.bicep declares', () => {
    const declared = new Set(parameters(main).map((parameter) => parameter.name));
    const file = JSON.parse(readRepositoryFile('infra', 'main.parameters.json'));
    expect(Object.keys(file.parameters).filter((name) => !declared.has(name))).toEqual([]);
    // Parameters without a default must be given.
    for (const match of main.matchAll(/^param\s+(\w+)\s+\w+\s*$/gm))
      expect(Object.keys(file.parameters)).toContain(match[1]);
  });
});
