/**
 * Reading HTTP response bodies defensively: a size cap enforced while streaming (a lying or missing
 * Content-Length does not help a server push gigabytes at us), and helpers shared by every outbound client.
 */

export type BodyReadOutcome =
  { kind: 'text'; text: string } | { kind: 'too-large'; bytes: number } | { kind: 'failed'; error: unknown };

/** The body as UTF-8 text, or why not; never throws. A body over `maxBytes` is cancelled, not read. */
export async function readBodyText(response: Response, maxBytes: number): Promise<BodyReadOutcome> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await discardBody(response);
    return { kind: 'too-large', bytes: declared };
  }
  if (response.body === null) return { kind: 'text', text: '' };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { kind: 'too-large', bytes: total };
      }
      chunks.push(value);
    }
  } catch (error) {
    return { kind: 'failed', error };
  }
  return { kind: 'text', text: Buffer.concat(chunks).toString('utf8') };
}

/** Drops a body we will not read, so the connection can be reused or closed. */
export async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // The socket is going away either way; nothing in a discarded body matters.
    return;
  }
}

/** Response headers as a plain record (lower-case names), the shape `parseRetryAfterMs` reads. */
export function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/** The network-level reason a fetch failed (ECONNREFUSED, UND_ERR_SOCKET…), when it looks like an identifier. */
export function networkErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = cause?.code;
  return typeof code === 'string' && /^[A-Za-z][\w.-]{0,63}$/.test(code) ? code : undefined;
}
