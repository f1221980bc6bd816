import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import type { AzureCredentialSettings } from '../settings';

/**
 * A credential that loads `@azure/identity` (about half a second of start-up) on the first token request,
 * so the demo source, the CLI's offline commands and tests that inject a credential never pay for it.
 */
export class LazyAzureCredential implements TokenCredential {
  private credential: Promise<TokenCredential> | undefined;

  constructor(private readonly settings: AzureCredentialSettings) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    this.credential ??= import('./credential').then(({ createAzureCredential }) =>
      createAzureCredential(this.settings),
    );
    return (await this.credential).getToken(scopes, options);
  }
}

/** The token scope of an API: its origin plus /.default (sovereign clouds and test servers included). */
export function scopeFor(baseUrl: string): string {
  return `${new URL(baseUrl).origin}/.default`;
}
