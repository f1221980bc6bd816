import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential } from '@azure/identity';
import type { BlobRequestConditions, ContainerClient, StoragePipelineOptions } from '@azure/storage-blob';
import { BlobServiceClient, RestError } from '@azure/storage-blob';
import { CopilotError, isCopilotError } from '../errors';
import { parseValue, serializeValue } from './json-value';
import { compareKeys } from './key-order';
import { storeClosed, storeConflict } from './store-errors';
import type { Store, StoredItem, WriteOptions } from './port';
import { assertValidKey, assertValidLimit, assertValidPrefix, assertValidWriteOptions } from './validation';

export const defaultBlobContainer = 'soc-copilot';

export interface BlobStoreOptions {
  /** A storage account connection string (account key or SAS). Takes precedence over `accountUrl`. */
  connectionString?: string;
  /** e.g. https://<account>.blob.core.windows.net — authenticated with `credential` (default DefaultAzureCredential). */
  accountUrl?: string;
  credential?: TokenCredential;
  /** Default `soc-copilot`; created on open when missing. */
  container?: string;
  /** Attempts per request, the first included (default 4, the SDK's default); tests use 1 to fail fast. */
  maxTries?: number;
  /** Per-attempt time-out (default 30 s). */
  tryTimeoutMs?: number;
}

/** Azure's limit on blob names; a key whose encoded name is longer is refused as bad_input. */
const maxBlobNameLength = 1024;

/**
 * A Store on Azure Blob Storage, for several bot instances sharing state (behind Azure Bot Service). One block
 * blob per key, all in one container; a value is the blob's JSON body, its etag the service's ETag.
 *
 * Concurrency comes from the service's conditional requests: every write is a single Put Blob (atomic), with
 * `If-Match: <etag>` or `If-None-Match: *` when the caller asks, so two instances can never both win a
 * read-modify-write. Blob names are the keys percent-encoded byte by byte (see `encodeKey`): an unambiguous,
 * prefix-preserving encoding, so listing by prefix is a service-side prefix listing.
 */
export class BlobStore implements Store {
  private closed = false;

  private constructor(
    private readonly container: ContainerClient,
    /** Where the store is, for error messages: the account host and container, never a key or a secret. */
    readonly location: string,
  ) {}

  /** Connects and creates the container if it does not exist yet; fails with a clear store_failure otherwise. */
  static async open(options: BlobStoreOptions): Promise<BlobStore> {
    const containerName = options.container ?? defaultBlobContainer;
    const pipeline: StoragePipelineOptions = {
      retryOptions: { maxTries: options.maxTries ?? 4, tryTimeoutInMs: options.tryTimeoutMs ?? 30_000 },
      userAgentOptions: { userAgentPrefix: 'soc-copilot' },
    };
    let service: BlobServiceClient;
    try {
      if (options.connectionString) {
        service = BlobServiceClient.fromConnectionString(options.connectionString, pipeline);
      } else if (options.accountUrl) {
        service = new BlobServiceClient(
          options.accountUrl,
          options.credential ?? new DefaultAzureCredential(),
          pipeline,
        );
      } else {
        throw new CopilotError(
          'config_invalid',
          'The Blob store needs AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL',
        );
      }
    } catch (error) {
      if (isCopilotError(error)) throw error;
      // The SDK's parse errors can quote the connection string: keep them out of the message and the cause.
      throw new CopilotError('config_invalid', 'The Azure Storage connection string or account URL is not valid');
    }
    const container = service.getContainerClient(containerName);
    const location = `${safeHost(service.url)}/${containerName}`;
    try {
      await container.createIfNotExists();
    } catch (error) {
      throw translate(error, `Could not open the Blob store at ${location}`);
    }
    return new BlobStore(container, location);
  }

  async get<T>(key: string): Promise<StoredItem<T> | undefined> {
    assertValidKey(key);
    const blob = this.blobFor('get', key);
    try {
      const response = await blob.download(0);
      const body = await readBody(response.readableStreamBody);
      return { value: parseValue<T>(key, body), etag: requireEtag(response.etag, 'get', key) };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw this.failure(error, 'get', key);
    }
  }

  async put<T>(key: string, value: T, options?: WriteOptions): Promise<{ etag: string }> {
    assertValidKey(key);
    assertValidWriteOptions(options);
    const body = Buffer.from(serializeValue(key, value), 'utf8');
    const blob = this.blobFor('put', key).getBlockBlobClient();
    const conditions: BlobRequestConditions = {};
    if (options?.ifMatch !== undefined) conditions.ifMatch = options.ifMatch;
    if (options?.ifNoneMatch === '*') conditions.ifNoneMatch = '*';
    try {
      const response = await blob.upload(body, body.length, {
        conditions,
        blobHTTPHeaders: { blobContentType: 'application/json; charset=utf-8' },
      });
      return { etag: requireEtag(response.etag, 'put', key) };
    } catch (error) {
      const status = statusOf(error);
      // 412: If-Match failed (or If-None-Match on some paths); 409 BlobAlreadyExists: If-None-Match: * on an
      // existing blob; 404 with If-Match: the blob is gone.
      if (options?.ifNoneMatch === '*' && (status === 409 || status === 412)) {
        throw storeConflict('put', key, 'it already exists');
      }
      if (options?.ifMatch !== undefined && (status === 412 || status === 404)) {
        throw storeConflict('put', key, 'its etag no longer matches or it does not exist');
      }
      throw this.failure(error, 'put', key);
    }
  }

  async delete(key: string, options?: { ifMatch?: string }): Promise<boolean> {
    assertValidKey(key);
    assertValidWriteOptions(options);
    const blob = this.blobFor('delete', key);
    try {
      if (options?.ifMatch === undefined) return (await blob.deleteIfExists()).succeeded;
      await blob.delete({ conditions: { ifMatch: options.ifMatch } });
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (options?.ifMatch !== undefined && (status === 412 || status === 404)) {
        throw storeConflict('delete', key, 'its etag no longer matches or it does not exist');
      }
      throw this.failure(error, 'delete', key);
    }
  }

  /**
   * Lists every blob under the encoded prefix, then sorts in key order (code point order) before applying the
   * limit: the service's listing order is not specified to match it for every character, so the sort is ours.
   */
  async list(prefix: string, limit?: number): Promise<string[]> {
    assertValidPrefix(prefix);
    assertValidLimit(limit);
    if (this.closed) throw storeClosed('list', prefix);
    if (limit === 0) return [];
    const keys: string[] = [];
    try {
      for await (const page of this.container
        .listBlobsFlat({ prefix: encodeKey(prefix) })
        .byPage({ maxPageSize: 5000 })) {
        for (const item of page.segment.blobItems) {
          const key = decodeBlobName(item.name);
          // Blobs someone else put in the container (not written by this store) are not keys: skip them.
          if (key !== undefined && key.startsWith(prefix)) keys.push(key);
        }
      }
    } catch (error) {
      throw this.failure(error, 'list', prefix);
    }
    keys.sort(compareKeys);
    return limit === undefined ? keys : keys.slice(0, limit);
  }

  async close(): Promise<void> {
    // The SDK keeps no connection of its own open (Node's agent does, with keep-alive timers of its own).
    this.closed = true;
  }

  private blobFor(operation: string, key: string) {
    if (this.closed) throw storeClosed(operation, key);
    const name = encodeKey(key);
    if (name.length > maxBlobNameLength) {
      throw new CopilotError('bad_input', `Store key is too long for a blob name (${name.length} > 1024 encoded)`);
    }
    return this.container.getBlobClient(name);
  }

  private failure(error: unknown, operation: string, key: string): CopilotError {
    if (isCopilotError(error)) return error;
    // The message names the operation and key, never the value: values may hold conversation content.
    return translate(error, `Store ${operation} of "${key}" failed in Azure Blob Storage (${this.location})`);
  }
}

/** Characters kept as they are in blob names; every other UTF-8 byte becomes %XX. */
const plainCharacter = /^[A-Za-z0-9_-]$/;

/**
 * Key → blob name. Every byte of the key's UTF-8 form outside [A-Za-z0-9_-] is written as %XX (upper-case hex),
 * "/" and "." included: Azure treats "/" as a virtual directory separator, a trailing "/" or "." is not
 * allowed, "." and ".." segments are collapsed by URL handling and "\" becomes "/". The result is ASCII, unique
 * per key, and prefix-preserving (each character's encoding stands alone), so encode(prefix) lists exactly the
 * keys starting with prefix.
 */
export function encodeKey(key: string): string {
  let name = '';
  for (const character of key) {
    if (plainCharacter.test(character)) {
      name += character;
      continue;
    }
    for (const byte of Buffer.from(character, 'utf8')) name += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return name;
}

/** Blob name → key, or undefined for a name `encodeKey` cannot have produced. */
export function decodeBlobName(name: string): string | undefined {
  if (!/^(?:[A-Za-z0-9_-]|%[0-9A-F]{2})*$/.test(name)) return undefined;
  const bytes: number[] = [];
  for (let index = 0; index < name.length;) {
    if (name[index] === '%') {
      bytes.push(Number.parseInt(name.slice(index + 1, index + 3), 16));
      index += 3;
    } else {
      bytes.push(name.charCodeAt(index));
      index += 1;
    }
  }
  const key = new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(bytes));
  return encodeKey(key) === name ? key : undefined;
}

async function readBody(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (stream === undefined) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function requireEtag(etag: string | undefined, operation: string, key: string): string {
  if (etag === undefined || etag === '') {
    throw new CopilotError('store_failure', `Store ${operation} of "${key}": Azure Blob Storage returned no ETag`);
  }
  return etag;
}

function statusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

const networkErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'REQUEST_SEND_ERROR',
]);

/**
 * One store_failure per kind of trouble, saying what the operator should check. The SDK error stays as the
 * cause for the logs (its message names the request URL, not the account key; SAS signatures are redacted by
 * the SDK's logging policy, and we never put the connection string in a message).
 */
function translate(error: unknown, context: string): CopilotError {
  if (isCopilotError(error)) return error;
  const status = statusOf(error);
  const serviceCode = (error as { code?: unknown } | null)?.code;
  const codeText = typeof serviceCode === 'string' ? serviceCode : undefined;
  const name = (error as { name?: unknown } | null)?.name;
  if (
    name === 'CredentialUnavailableError' ||
    name === 'AuthenticationError' ||
    name === 'AggregateAuthenticationError'
  ) {
    return new CopilotError(
      'store_failure',
      `${context}: no Azure credential could get a token (managed identity, environment or Azure CLI) — check the identity's setup`,
      { cause: error },
    );
  }
  if (status === 401 || status === 403) {
    return new CopilotError(
      'store_failure',
      `${context}: the storage account refused the credentials (${status}${codeText ? ` ${codeText}` : ''}) — check the key or SAS, or that the identity has "Storage Blob Data Contributor" on the account`,
      { cause: error },
    );
  }
  if (status === undefined || status === 0 || (codeText !== undefined && networkErrorCodes.has(codeText))) {
    return new CopilotError(
      'store_failure',
      `${context}: the storage account could not be reached${codeText ? ` (${codeText})` : ''} — check the account URL and the network`,
      { cause: error, retryable: true },
    );
  }
  return new CopilotError(
    'store_failure',
    `${context}: Azure Blob Storage answered ${status}${codeText ? ` ${codeText}` : ''}`,
    {
      cause: error,
      retryable: status === 408 || status === 429 || status >= 500,
    },
  );
}

function safeHost(url: string): string {
  try {
    const parsed = new URL(url);
    // Azurite and other path-style endpoints put the account name in the path; a SAS query is dropped.
    return `${parsed.host}${parsed.pathname.replace(/\/$/, '')}`;
  } catch {
    return 'the storage account';
  }
}
