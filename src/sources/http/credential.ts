import type { TokenCredential } from '@azure/identity';
import { ClientCertificateCredential, ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';
import type { AzureCredentialSettings } from '../settings';

/** The credential the settings describe; nothing is fetched until a token is asked for. */
export function createAzureCredential(settings: AzureCredentialSettings): TokenCredential {
  switch (settings.kind) {
    case 'secret':
      return new ClientSecretCredential(settings.tenantId, settings.clientId, settings.clientSecret);
    case 'certificate':
      return new ClientCertificateCredential(settings.tenantId, settings.clientId, {
        certificatePath: settings.certificatePath,
      });
    case 'default':
      return new DefaultAzureCredential({
        managedIdentityClientId: settings.clientId,
        tenantId: settings.tenantId,
      });
  }
}
