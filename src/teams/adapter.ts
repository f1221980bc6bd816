import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { BotIdentity } from '../config';
import type { Logger } from '../logger';

/**
 * The Bot Framework CloudAdapter (Teams AI's subclass of it). With a bot identity every request is
 * authenticated with the Bot Framework JWT; without one the adapter runs in anonymous local mode, for
 * the Agents Playground and tests only, and says so loudly at start-up.
 */
export function createBotAdapter(identity: BotIdentity | undefined, logger: Logger): TeamsAdapter {
  if (!identity) {
    logger.warn(
      'ANONYMOUS LOCAL MODE: no MicrosoftAppId (BOT_ID) is set, so incoming requests are NOT authenticated. ' +
        'Use this only with the Agents Playground or tests; set MicrosoftAppId, MicrosoftAppPassword and ' +
        'MicrosoftAppTenantId to connect to Teams.',
    );
    return new TeamsAdapter({}, new ConfigurationServiceClientCredentialFactory({}));
  }
  const settings = {
    MicrosoftAppId: identity.appId,
    MicrosoftAppPassword: identity.appPassword,
    MicrosoftAppType: identity.appType,
    MicrosoftAppTenantId: identity.tenantId,
  };
  logger.info({ appId: identity.appId, appType: identity.appType }, 'Bot Framework authentication is on');
  return new TeamsAdapter(settings, new ConfigurationServiceClientCredentialFactory(settings));
}
