import { createHash } from 'node:crypto';
import { lookup } from './fields';

export interface NormalizeOptions {
  /**
   * When the payload carries no usable timestamp at all, the alert is dated to when we received it.
   * Defaults to the current time; pass it to keep a mapping deterministic.
   */
  receivedAt?: Date;
}

export function fallbackTimestamp(options: NormalizeOptions | undefined): string {
  return (options?.receivedAt ?? new Date()).toISOString();
}

/**
 * A stable id for a payload that lacks one, derived from its content so the same payload always gets the
 * same id (re-delivered alerts then deduplicate instead of multiplying).
 */
export function contentDerivedId(prefix: string, payload: unknown): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(payload) ?? '')
    .digest('hex');
  return `${prefix}-${digest.slice(0, 16)}`;
}

/** Graph's serviceSource values with the product names the Defender portal shows for them. */
const productNameByServiceSource: Record<string, string> = {
  microsoftdefenderforendpoint: 'Microsoft Defender for Endpoint',
  microsoftdefenderforidentity: 'Microsoft Defender for Identity',
  microsoftdefenderforcloudapps: 'Microsoft Defender for Cloud Apps',
  microsoftdefenderforoffice365: 'Microsoft Defender for Office 365',
  microsoft365defender: 'Microsoft Defender XDR',
  azureadidentityprotection: 'Microsoft Entra ID Protection',
  microsoftappgovernance: 'App governance',
  datalossprevention: 'Microsoft Purview Data Loss Prevention',
  microsoftdefenderforcloud: 'Microsoft Defender for Cloud',
  microsoftsentinel: 'Microsoft Sentinel',
  microsoftinsiderriskmanagement: 'Microsoft Purview Insider Risk Management',
};

export function productNameForServiceSource(serviceSource: string | undefined): string | undefined {
  if (serviceSource === undefined) return undefined;
  return lookup(productNameByServiceSource, serviceSource.toLowerCase());
}

/**
 * Older rows and APIs still carry retired product names; analysts and ATT&CK-era documentation use the
 * current ones, so they are renamed once here.
 */
const currentNameByRetiredName: Record<string, string> = {
  'azure sentinel': 'Microsoft Sentinel',
  'azure security center': 'Microsoft Defender for Cloud',
  'microsoft defender advanced threat protection': 'Microsoft Defender for Endpoint',
  'microsoft defender atp': 'Microsoft Defender for Endpoint',
  'azure advanced threat protection': 'Microsoft Defender for Identity',
  'microsoft cloud app security': 'Microsoft Defender for Cloud Apps',
  'office 365 advanced threat protection': 'Microsoft Defender for Office 365',
  'azure active directory identity protection': 'Microsoft Entra ID Protection',
  'azure ad identity protection': 'Microsoft Entra ID Protection',
  'microsoft 365 defender': 'Microsoft Defender XDR',
};

export function currentProductName(productName: string): string {
  return lookup(currentNameByRetiredName, productName.toLowerCase()) ?? productName;
}
