import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { BlobStore } from '../../../src/store/blob-store';
import { createStore } from '../../../src/store';
import { describeStoreContract, expectCopilotError, incrementCounter } from '../../support/store-contract';
import type { Azurite } from './azurite';
import { connectionStringFor, freePort, startAzurite } from './azurite';

/**
 * The Azure Blob Storage adapter against Azurite (the storage emulator) on a free loopback port, in memory:
 * the same Store contract as the embedded stores, plus what only a remote store has (several instances and
 * processes on one container, blob names, auth and network failures).
 */
let azurite: Azurite;

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
});

/** A fresh container per store, so every test starts empty. */
function containerName(): string {
  return `t${randomBytes(8).toString('hex')}`;
}

function openStore(container = containerName()): Promise<BlobStore> {
  return BlobStore.open({ connectionString: azurite.connectionString, container });
}

describeStoreContract('BlobStore on Azurite', () => openStore());

describe('BlobStore on Azurite', () => {
  it('is what createStore returns for the blob configuration, and creates its container', async () => {
    const container = containerName();
    const store = await createStore({ kind: 'blob', container, connectionString: azurite.connectionString });
    expect(store).toBeInstanceOf(BlobStore);
    await store.put('conversation/1', { id: 1 });
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    expect(await service.getContainerClient(container).exists()).toBe(true);
    await store.close();
  });

  it('keeps one blob per key, named by the escaped key, with a JSON body and the service etag', async () => {
    const container = containerName();
    const store = await openStore(container);
    const { etag } = await store.put('audit/2025-01-02/a.b 🛡️', { ok: true });
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(container);
    const names: string[] = [];
    for await (const item of blobs.listBlobsFlat()) names.push(item.name);
    expect(names).toEqual(['audit%2F2025-01-02%2Fa%2Eb%20%F0%9F%9B%A1%EF%B8%8F']);
    const properties = await blobs.getBlobClient(names[0]).getProperties();
    expect(properties.etag).toBe(etag);
    expect(properties.contentType).toMatch(/^application\/json/);
    expect((await blobs.getBlobClient(names[0]).downloadToBuffer()).toString('utf8')).toBe('{"ok":true}');
    await store.close();
  });

  it('ignores blobs in the container that it did not write', async () => {
    const container = containerName();
    const store = await openStore(container);
    await store.put('alert/1', 1);
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(container);
    await blobs.getBlockBlobClient('alert/foreign.txt').upload('x', 1);
    expect(await store.list('')).toEqual(['alert/1']);
    await store.close();
  });

  it('lets two store instances on one container see each other and detect each other’s writes', async () => {
    const container = containerName();
    const first = await openStore(container);
    const second = await openStore(container);
    const written = await first.put('investigation/9', { step: 1 });
    expect(await second.get('investigation/9')).toEqual({ value: { step: 1 }, etag: written.etag });
    await second.put('investigation/9', { step: 2 }, { ifMatch: written.etag });
    await expectCopilotError(
      first.put('investigation/9', { step: 3 }, { ifMatch: written.etag }),
      'store_conflict',
      true,
    );
    await expectCopilotError(first.put('investigation/9', { step: 3 }, { ifNoneMatch: '*' }), 'store_conflict', true);
    expect((await first.get('investigation/9'))?.value).toEqual({ step: 2 });
    await Promise.all([first.close(), second.close()]);
  });

  it('loses no increment when two instances read-modify-write the same key at the same time', async () => {
    const container = containerName();
    const stores = [await openStore(container), await openStore(container)];
    const conflicts = await Promise.all(
      stores.map(async (store) => {
        let total = 0;
        for (let increment = 0; increment < 40; increment += 1)
          total += await incrementCounter(store, 'counter/shared');
        return total;
      }),
    );
    expect((await stores[0].get('counter/shared'))?.value).toEqual({ count: 80 });
    expect(conflicts[0] + conflicts[1]).toBeGreaterThan(0);
    await Promise.all(stores.map((store) => store.close()));
  });

  it('refuses a key whose blob name would be longer than Azure allows, as bad_input', async () => {
    const store = await openStore();
    await expectCopilotError(store.put('é'.repeat(200), 1), 'bad_input');
    await store.put('a'.repeat(1024), 1);
    await store.close();
  });

  it('fails with a clear store_failure naming the credentials when the account key is wrong', async () => {
    const wrongKey = azurite.connectionString.replace(
      /AccountKey=[^;]+/,
      `AccountKey=${randomBytes(64).toString('base64')}`,
    );
    const error = await BlobStore.open({ connectionString: wrongKey, container: containerName(), maxTries: 1 }).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error).toMatchObject({ code: 'store_failure', retryable: false });
    expect(error?.message).toMatch(/refused the credentials \(403/);
    expect(error?.message).not.toContain(wrongKey.slice(wrongKey.indexOf('AccountKey=') + 11, -1));
  });

  it('fails with a clear, retryable store_failure when the account cannot be reached', async () => {
    const nobody = connectionStringFor(await freePort());
    const error = await BlobStore.open({ connectionString: nobody, container: containerName(), maxTries: 1 }).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error).toMatchObject({ code: 'store_failure', retryable: true });
    expect(error?.message).toMatch(/could not be reached/);
    expect(error?.message).not.toContain('AccountKey');
  });

  it('reports a connection string it cannot parse as config_invalid without quoting it', async () => {
    await expectCopilotError(
      BlobStore.open({ connectionString: 'AccountKey=secret-value;nonsense' }),
      'config_invalid',
    );
  });
});

describe('BlobStore across processes', () => {
  const childScript = path.join(__dirname, 'fixtures', 'blob-child.js');
  const children: ChildProcessWithoutNullStreams[] = [];

  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  function start(container: string, times: number) {
    const child = spawn(process.execPath, [childScript, container, String(times)], {
      stdio: 'pipe',
      env: { ...process.env, AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString },
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => stdout.includes('ready\n') && resolve());
      void exited.then(() => reject(new Error(`child exited before ready:\n${stderr}`)));
    });
    return { child, ready, exited, output: () => ({ stdout, stderr }) };
  }

  it('loses no increment when two processes read-modify-write the same blob at the same time', async () => {
    const container = containerName();
    await (await openStore(container)).close();
    const times = 60;
    const writers = [start(container, times), start(container, times)];
    await Promise.all(writers.map((writer) => writer.ready));
    for (const writer of writers) writer.child.stdin.write('go\n');
    const codes = await Promise.all(writers.map((writer) => writer.exited));
    expect({ codes, stderr: writers.map((writer) => writer.output().stderr) }).toEqual({
      codes: [0, 0],
      stderr: ['', ''],
    });

    const store = await openStore(container);
    expect((await store.get('counter/shared'))?.value).toEqual({ count: 2 * times });
    await store.close();
    const conflicts = writers.map((writer) => Number(/done (\d+)/.exec(writer.output().stdout)?.[1]));
    // Conflicts prove the two processes really interleaved; without them the test would show nothing.
    expect(conflicts[0] + conflicts[1]).toBeGreaterThan(0);
  });
});
