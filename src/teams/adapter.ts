import { CallerIdConstants, ConfigurationServiceClientCredentialFactory, StatusCodes } from 'botbuilder';
import { AuthenticationConstants, AuthenticationError } from 'botframework-connector';
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
    // Sovereign clouds (and tests with their own signing keys) publish the channel's keys elsewhere. Once one
    // endpoint is given the SDK expects all of them, so the rest are the public cloud's.
    ...(identity.openIdMetadataUrl ? publicCloudWithChannelKeysAt(identity.openIdMetadataUrl) : {}),
  };
  logger.info({ appId: identity.appId, appType: identity.appType }, 'Bot Framework authentication is on');
  return refuseBadTokensWith401(new TeamsAdapter(settings, new ConfigurationServiceClientCredentialFactory(settings)));
}

const jwtFailures = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * A token with a bad signature or a malformed body makes the JWT library throw its own error, which the
 * CloudAdapter answers with 500 (it only maps its AuthenticationError to 401). A forged token is the caller's
 * fault, so it becomes the 401 it is.
 */
function refuseBadTokensWith401(adapter: TeamsAdapter): TeamsAdapter {
  // processActivity is protected in the SDK's typings; the CloudAdapter's own process() calls it.
  const target = adapter as unknown as { processActivity: (...args: unknown[]) => Promise<unknown> };
  const processActivity = target.processActivity.bind(adapter);
  const guarded = async (...args: unknown[]) => {
    try {
      return await processActivity(...args);
    } catch (error) {
      if (error instanceof Error && jwtFailures.has(error.name)) {
        throw new AuthenticationError('Unauthorized. The token could not be validated.', StatusCodes.UNAUTHORIZED);
      }
      throw error;
    }
  };
  target.processActivity = guarded;
  return adapter;
}

function publicCloudWithChannelKeysAt(openIdMetadataUrl: string) {
  return {
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}
