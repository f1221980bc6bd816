import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AttackKnowledge } from '../../../src/intel/attack';
import { fixtureBundle, fixtureObjects } from '../../unit/intel/attack/stix-fixture';

const script = join(__dirname, '../../../scripts/update-attack.mjs');
const bundleBytes = Buffer.from(JSON.stringify(fixtureBundle(), null, 4));
const withoutTechniques = fixtureObjects().filter((stixObject) => stixObject.type !== 'attack-pattern');

/**
 * Status and headers are set on the response rather than passed to writeHead: in a full in-band jest run,
 * restify (loaded by other test files in the same process) replaces http.ServerResponse.prototype.writeHead,
 * and an explicit writeHead from this plain server then never finished the response.
 */
function answer(response: ServerResponse, status: number, headers: Record<string, string>, body?: string): void {
  response.statusCode = status;
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.end(body);
}

/** Loopback stand-in for raw.githubusercontent.com: this machine has no internet, and tests must not use it. */
const routes: Record<string, (response: ServerResponse) => void> = {
  '/enterprise-attack.json': (response) => response.end(bundleBytes),
  '/enterprise-attack.json.gz': (response) => response.end(gzipSync(bundleBytes)),
  '/moved': (response) => answer(response, 302, { location: '/enterprise-attack.json' }),
  '/truncated.json': (response) => response.end(bundleBytes.subarray(0, bundleBytes.length / 2)),
  '/not-a-bundle.json': (response) => response.end('{"type": "report", "objects": []}'),
  '/no-techniques.json': (response) => response.end(JSON.stringify(fixtureBundle(withoutTechniques))),
  '/html': (response) => answer(response, 200, { 'content-type': 'text/html' }, '<html>Rate limited</html>'),
  '/silent': () => undefined, // never answers: the time-out must fire
};

// Child processes against a loopback server; a loaded CI machine needs more than the default.
jest.setTimeout(150_000);

let server: Server;
let baseUrl: string;
let workDirectory: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const route = routes[request.url ?? ''];
    if (route === undefined) answer(response, 404, {}, 'not found');
    else route(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  workDirectory = mkdtempSync(join(tmpdir(), 'attack-update-'));
});

afterEach(() => {
  rmSync(workDirectory, { recursive: true, force: true });
});

/** Runs the script as npm would, from a project directory; asynchronous so the loopback server can answer. */
function updateAttack(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { cwd: workDirectory, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      // A run that had to be killed says so, so a failure shows why rather than a bare -1.
      resolve({ code, stdout, stderr: error?.killed ? `${stderr}[killed: no exit within 60 s]` : stderr });
    });
  });
}

/** Every file under the directory, relative: a failed run must leave no temporary file behind. */
function filesUnder(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(directory.length + 1))
    .sort();
}

const defaultTarget = () => join(workDirectory, 'data/attack/enterprise-attack.json');

describe('scripts/update-attack.mjs', () => {
  test('downloads to ./data/attack, verifies, prints the ATTACK_STIX_PATH, and the product loads the file', async () => {
    const result = await updateAttack(['--url', `${baseUrl}/enterprise-attack.json`]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`ATTACK_STIX_PATH=${defaultTarget()}`);
    expect(result.stdout).toContain(`${fixtureObjects().length} objects, 5 techniques (4 active)`);
    expect(readFileSync(defaultTarget()).equals(bundleBytes)).toBe(true);
    expect(filesUnder(workDirectory)).toEqual(['data/attack/enterprise-attack.json']);
    const details = await new AttackKnowledge({ stixPath: defaultTarget() }).details('T1059.001');
    expect(details?.detection[0].id).toBe('DET0455');
  });

  test('--out chooses the file; a gzipped download and a redirect work too', async () => {
    const target = join(workDirectory, 'elsewhere', 'attack.json.gz');
    const gzipped = await updateAttack(['--url', `${baseUrl}/enterprise-attack.json.gz`, '--out', target]);
    expect(gzipped.code).toBe(0);
    expect(gzipped.stdout).toContain(`ATTACK_STIX_PATH=${target}`);
    expect((await new AttackKnowledge({ stixPath: target }).details('T1059.001'))?.id).toBe('T1059.001');
    const redirected = await updateAttack(['--url', `${baseUrl}/moved`]);
    expect(redirected.code).toBe(0);
    expect(readFileSync(defaultTarget()).equals(bundleBytes)).toBe(true);
  });

  test.each([
    ['/truncated.json', /not valid JSON/],
    ['/not-a-bundle.json', /not a STIX bundle/],
    ['/no-techniques.json', /no ATT&CK techniques/],
    ['/html', /not valid JSON/],
    ['/missing', /HTTP 404/],
  ])('%s fails with exit 1 and leaves no file behind', async (path, reason) => {
    const result = await updateAttack(['--url', `${baseUrl}${path}`]);
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 1 });
    expect(result.stderr).toMatch(reason);
    expect(result.stdout).toBe('');
    expect(filesUnder(workDirectory)).toEqual([]);
  });

  test('a failed update keeps the bundle that was there', async () => {
    mkdirSync(join(workDirectory, 'data/attack'), { recursive: true });
    writeFileSync(defaultTarget(), 'previous bundle');
    const result = await updateAttack(['--url', `${baseUrl}/truncated.json`]);
    expect(result.code).toBe(1);
    expect(readFileSync(defaultTarget(), 'utf8')).toBe('previous bundle');
    expect(filesUnder(workDirectory)).toEqual(['data/attack/enterprise-attack.json']);
    expect((await updateAttack(['--url', `${baseUrl}/enterprise-attack.json`])).code).toBe(0);
    expect(readFileSync(defaultTarget()).equals(bundleBytes)).toBe(true);
  });

  test('when the rename fails (the target is a directory) the temporary file is removed', async () => {
    mkdirSync(join(defaultTarget(), 'occupied'), { recursive: true });
    const result = await updateAttack(['--url', `${baseUrl}/enterprise-attack.json`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    expect(readdirSync(join(workDirectory, 'data/attack'))).toEqual(['enterprise-attack.json']);
  });

  test('a server that never answers times out with exit 1', async () => {
    const result = await updateAttack(['--url', `${baseUrl}/silent`, '--timeout-seconds', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no answer within 1 s');
    expect(filesUnder(workDirectory)).toEqual([]);
  });

  test('an unreachable host fails with exit 1 and the reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await updateAttack(['--url', `http://127.0.0.1:${port}/enterprise-attack.json`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ECONNREFUSED');
  });

  test.each([
    [['--url']],
    [['--url', 'not a url']],
    [['--url', 'file:///etc/passwd']],
    [['--bogus']],
    [['--timeout-seconds', '0']],
  ])('bad usage %j exits 2', async (args) => {
    const result = await updateAttack(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: node scripts/update-attack.mjs');
    expect(filesUnder(workDirectory)).toEqual([]);
  });
});
