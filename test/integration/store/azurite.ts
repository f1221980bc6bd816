import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/**
 * Azurite's blob service as a child process on a free loopback port, in memory, for the Blob store tests.
 * Spawned from its own bin (not through npx, whose parent would leave Azurite orphaned on SIGTERM), with
 * telemetry off so it never reaches for the network.
 */
export interface Azurite {
  port: number;
  /** The well-known development account's connection string, pointing at this instance. */
  connectionString: string;
  stop: () => Promise<void>;
}

/** Azurite's published development account key (not a secret: it is the same in every installation). */
const developmentKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function connectionStringFor(port: number): string {
  return (
    'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
    `AccountKey=${developmentKey};BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startAzurite(): Promise<Azurite> {
  const bin = path.join(__dirname, '..', '..', '..', 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
  for (let attempt = 0; ; attempt += 1) {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        bin,
        '--inMemoryPersistence',
        '--blobHost',
        '127.0.0.1',
        '--blobPort',
        String(port),
        '--skipApiVersionCheck',
        '--loose',
        '--disableTelemetry',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await waitUntilListening(child);
      return { port, connectionString: connectionStringFor(port), stop: () => stop(child) };
    } catch (error) {
      await stop(child);
      // Another process may have taken the port between freePort() and Azurite's listen: try another one.
      if (attempt >= 2) throw error;
    }
  }
}

function waitUntilListening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Azurite did not start in 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('successfully listens')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${code}:\n${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
