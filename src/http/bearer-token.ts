import type { AccessToken, TokenCredential } from '@azure/identity';
import { CopilotError } from '../errors';

/** Refresh this long before expiry, so a token never runs out between getting it and the API checking it. */
const REFRESH_MARGIN_MS = 2 * 60 * 1000;

/**
 * Bearer tokens for one API scope from an `@azure/identity` credential, cached until shortly before they
 * expire. `forceRefresh` bypasses the cache: after a 401 the cached token is the suspect, so a fresh one is
 * asked for. Failures never quote the identity library's message (it names tenant and client ids and
 * repeats the authority's answer), only the error's class name.
 */
export class BearerTokenSource {
  private cached: AccessToken | undefined;

  constructor(
    private readonly credential: TokenCredential,
    readonly scope: string,
    private readonly api: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async token(options: { signal?: AbortSignal; forceRefresh?: boolean } = {}): Promise<string> {
    const cached = this.cached;
    if (!options.forceRefresh && cached !== undefined && cached.expiresOnTimestamp - REFRESH_MARGIN_MS > this.clock()) {
      return cached.token;
    }
    this.cached = undefined;
    let token: AccessToken | null;
    try {
      token = await this.credential.getToken(this.scope, { abortSignal: options.signal });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const kind = error instanceof Error ? error.name : 'unknown error';
      throw new CopilotError('source_auth_failed', `could not get a token for ${this.api} (${kind})`, {
        userMessage: `I could not sign in to ${this.api}: the bot's Azure credentials were refused or are missing.`,
      });
    }
    if (token === null || token.token === '') {
      throw new CopilotError('source_auth_failed', `the credential returned no token for ${this.api}`, {
        userMessage: `I could not sign in to ${this.api}: the bot's Azure credentials returned no token.`,
      });
    }
    this.cached = token;
    return token.token;
  }
}
