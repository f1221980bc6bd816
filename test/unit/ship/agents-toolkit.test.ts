import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configVariables, placeholders, readEnvFile, readRepositoryFile, repositoryRoot } from './support';

interface Action {
  uses: string;
  name?: string;
  with?: Record<string, any>;
  writeToEnvironmentFile?: Record<string, string>;
}

/** The toolkit's actions these files may use (https://aka.ms/teamsfx-actions). */
const knownActions = new Set([
  'teamsApp/create',
  'teamsApp/validateManifest',
  'teamsApp/zipAppPackage',
  'teamsApp/validateAppPackage',
  'teamsApp/update',
  'teamsApp/publishAppPackage',
  'aadApp/create',
  'botAadApp/create',
  'botFramework/create',
  'arm/deploy',
  'azureAppService/zipDeploy',
  'cli/runNpmCommand',
  'file/createOrUpdateEnvironmentFile',
  'devTool/install',
]);

const projects = [
  { file: 'm365agents.yml', environment: 'dev' },
  { file: 'm365agents.local.yml', environment: 'local' },
  { file: 'm365agents.playground.yml', environment: 'playground' },
];

const lifecycles = ['provision', 'deploy', 'publish'] as const;

function load(file: string): Record<string, any> {
  return parse(readRepositoryFile(file));
}

/** Bicep outputs that arm/deploy writes back to the environment file. */
function bicepOutputs(path: string): string[] {
  return [...readRepositoryFile(path).matchAll(/^output\s+([A-Za-z_][A-Za-z0-9_]*)\s/gm)].map((match) => match[1]);
}

describe.each(projects)('$file (environment $environment)', ({ file, environment }) => {
  const project = load(file);
  const environmentFile = `env/.env.${environment}`;

  it('declares the schema version the toolkit reads and only known actions', () => {
    expect(project.version).toMatch(/^v1\.\d+$/);
    expect(readRepositoryFile(file)).toContain(
      `# yaml-language-server: $schema=https://aka.ms/m365-agents-toolkits/${project.version}/yaml.schema.json`,
    );
    for (const lifecycle of lifecycles) {
      for (const action of (project[lifecycle] ?? []) as Action[]) expect(knownActions).toContain(action.uses);
    }
  });

  it(`uses only variables that ${environmentFile} defines or an earlier action writes`, () => {
    expect(existsSync(join(repositoryRoot, environmentFile))).toBe(true);
    const defined = new Set(readEnvFile(environmentFile).keys());
    const undefinedUses: string[] = [];
    const check = (where: string, text: string) => {
      for (const name of placeholders(text)) if (!defined.has(name)) undefinedUses.push(`${where}: ${name}`);
    };
    for (const lifecycle of lifecycles) {
      for (const [index, action] of ((project[lifecycle] ?? []) as Action[]).entries()) {
        const where = `${lifecycle}[${index}] ${action.uses}`;
        check(where, JSON.stringify(action.with ?? {}));
        if (action.uses === 'arm/deploy') {
          for (const template of action.with?.templates ?? []) {
            check(`${where} ${template.parameters}`, readRepositoryFile(template.parameters));
            for (const output of bicepOutputs(template.path)) defined.add(output);
          }
        }
        for (const name of Object.values(action.writeToEnvironmentFile ?? {})) defined.add(name);
      }
    }
    expect(undefinedUses).toEqual([]);
  });

  it('points at files that exist and builds the package where npm run package does', () => {
    for (const lifecycle of lifecycles) {
      for (const action of (project[lifecycle] ?? []) as Action[]) {
        if (action.with?.manifestPath) expect(existsSync(join(repositoryRoot, action.with.manifestPath))).toBe(true);
        for (const template of action.with?.templates ?? []) {
          expect(existsSync(join(repositoryRoot, template.path))).toBe(true);
          expect(existsSync(join(repositoryRoot, template.parameters))).toBe(true);
        }
        if (action.with?.ignoreFile) expect(existsSync(join(repositoryRoot, action.with.ignoreFile))).toBe(true);
        if (action.uses === 'teamsApp/zipAppPackage') {
          expect(action.with?.outputZipPath).toBe('./appPackage/build/appPackage.${{TEAMSFX_ENV}}.zip');
        }
      }
    }
    expect(readEnvFile(environmentFile).get('TEAMSFX_ENV')).toBe(environment);
  });

  it('writes only settings the bot reads to its runtime environment file', () => {
    const { schema, aliases } = configVariables();
    const known = new Set([...schema, ...aliases]);
    const written = ((project.deploy ?? []) as Action[])
      .filter((action) => action.uses === 'file/createOrUpdateEnvironmentFile')
      .flatMap((action) => Object.keys(action.with?.envs ?? {}));
    expect(written.filter((name) => !known.has(name))).toEqual([]);
  });
});

describe('the Agents Toolkit environments', () => {
  it('provide every placeholder of the Teams manifest, once provisioned', () => {
    const manifestPlaceholders = placeholders(readRepositoryFile('appPackage', 'manifest.json'));
    for (const { file, environment } of projects.filter((project) => project.environment !== 'playground')) {
      const project = load(file);
      const provided = new Set(readEnvFile(`env/.env.${environment}`).keys());
      for (const action of project.provision as Action[]) {
        for (const name of Object.values(action.writeToEnvironmentFile ?? {})) provided.add(name);
        for (const template of action.with?.templates ?? [])
          for (const name of bicepOutputs(template.path)) provided.add(name);
      }
      expect({ file, missing: manifestPlaceholders.filter((name) => !provided.has(name)) }).toEqual({
        file,
        missing: [],
      });
    }
  });

  it('register a single-tenant bot with the Teams channel for local debugging', () => {
    const actions = load('m365agents.local.yml').provision as Action[];
    const app = actions.find((action) => action.uses === 'aadApp/create' || action.uses === 'botAadApp/create');
    expect(app?.with?.signInAudience).toBe('AzureADMyOrg');
    // Secrets go to the .user file the toolkit keeps out of git: their names start with SECRET_.
    expect(app?.writeToEnvironmentFile?.clientSecret).toMatch(/^SECRET_/);
    const registration = actions.find((action) => action.uses === 'botFramework/create');
    expect(registration?.with?.messagingEndpoint).toBe('${{BOT_ENDPOINT}}/api/messages');
    expect(registration?.with?.channels).toEqual([{ name: 'msteams' }]);
  });

  it('commit no secret values', () => {
    for (const environment of ['dev', 'local', 'playground']) {
      for (const [name, value] of readEnvFile(`env/.env.${environment}`)) {
        if (/SECRET|PASSWORD|API_KEY/.test(name)) expect({ name, value }).toEqual({ name, value: '' });
      }
    }
  });
});
