import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { configVariables, readRepositoryFile, repositoryRoot } from './support';

describe('the configuration documentation', () => {
  const { schema } = configVariables();

  it('reads the schema of src/config.ts', () => {
    expect(schema).toEqual(expect.arrayContaining(['NODE_ENV', 'PORT', 'MicrosoftAppId', 'SECURITY_SOURCE', 'STORE']));
  });

  it('docs/configuration.md documents every variable src/config.ts reads', () => {
    const documentation = readRepositoryFile('docs', 'configuration.md');
    expect(schema.filter((name) => !documentation.includes(`\`${name}\``))).toEqual([]);
  });

  it('env/.env.example has a line for every variable', () => {
    if (!existsSync(join(repositoryRoot, 'env', '.env.example'))) return;
    const example = readRepositoryFile('env', '.env.example');
    expect(schema.filter((name) => !new RegExp(`^#?\\s*${name}=`, 'm').test(example))).toEqual([]);
  });

  it('the README links the deployment, configuration and security pages', () => {
    const readme = readRepositoryFile('README.md');
    for (const page of ['docs/deploy.md', 'docs/configuration.md', 'docs/security.md']) {
      expect(readme).toContain(`](${page})`);
      expect(existsSync(join(repositoryRoot, page))).toBe(true);
    }
  });
});
