import { hasRole, missingRoleMessage, placeAllowed, roleOf, type AccessConfig } from '../../../src/security/access';
import { loadConfig } from '../../../src/config';

const tenant = '00000000-0000-0000-0000-0000000000aa';
const production: AccessConfig = {
  allowedTenants: [tenant],
  roles: { responders: ['R-1'], leads: ['L-1'] },
  anonymousLocal: false,
};

describe('placeAllowed', () => {
  it('admits only the allowed tenants, case-insensitively, and refuses a missing tenant', () => {
    expect(placeAllowed(production, { tenantId: tenant.toUpperCase() })).toEqual({ allowed: true });
    expect(placeAllowed(production, { tenantId: 'other' })).toEqual({ allowed: false, reason: 'tenant not allowed' });
    expect(placeAllowed(production, {})).toEqual({ allowed: false, reason: 'tenant not allowed' });
    expect(placeAllowed({ ...production, allowedTenants: 'any' }, {})).toEqual({ allowed: true });
  });

  it('narrows to teams and channels when configured (1:1 chats have neither and stay allowed)', () => {
    const narrow = { ...production, allowedTeams: ['19:soc'], allowedChannels: ['19:alerts'] };
    expect(placeAllowed(narrow, { tenantId: tenant, teamId: '19:soc', channelId: '19:alerts' }).allowed).toBe(true);
    expect(placeAllowed(narrow, { tenantId: tenant, teamId: '19:hr', channelId: '19:alerts' })).toMatchObject({
      reason: 'team not allowed',
    });
    expect(placeAllowed(narrow, { tenantId: tenant, teamId: '19:soc', channelId: '19:general' })).toMatchObject({
      reason: 'channel not allowed',
    });
    expect(placeAllowed(narrow, { tenantId: tenant }).allowed).toBe(true);
  });
});

describe('roles', () => {
  it('maps ids to roles, a lead being a responder too', () => {
    expect(roleOf(production, 'l-1')).toBe('lead');
    expect(roleOf(production, 'R-1')).toBe('responder');
    expect(roleOf(production, 'someone')).toBe('analyst');
    expect(roleOf(production, undefined)).toBe('analyst');
    expect(hasRole(production, 'L-1', 'responder')).toBe(true);
    expect(hasRole(production, 'R-1', 'lead')).toBe(false);
  });

  it('without roles configured: everyone is a lead locally, nobody is a responder in production', () => {
    expect(roleOf({ allowedTenants: 'any', anonymousLocal: true }, undefined)).toBe('lead');
    const unconfigured: AccessConfig = { allowedTenants: [tenant], anonymousLocal: false };
    expect(hasRole(unconfigured, 'anyone', 'responder')).toBe(false);
    expect(missingRoleMessage(unconfigured, 'responder', 'Running a query')).toContain('RESPONDER_IDS');
    expect(missingRoleMessage(production, 'lead', 'A report')).toContain('LEAD_IDS');
  });
});

describe('access configuration', () => {
  const bot = { MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret', MicrosoftAppTenantId: tenant };

  it("defaults to the bot's own tenant, and to any tenant only in anonymous local mode", () => {
    expect(loadConfig(bot).access).toMatchObject({ allowedTenants: [tenant], anonymousLocal: false, roles: undefined });
    expect(loadConfig({}).access).toMatchObject({ allowedTenants: 'any', anonymousLocal: true });
  });

  it('reads allow-lists and roles from comma lists, "*" meaning any tenant', () => {
    const access = loadConfig({
      ...bot,
      ALLOWED_TENANT_IDS: `${tenant}, 11111111-1111-1111-1111-111111111111`,
      ALLOWED_CHANNEL_IDS: '19:alerts@thread.tacv2',
      RESPONDER_IDS: 'r1,r2',
      LEAD_IDS: 'l1',
    }).access;
    expect(access.allowedTenants).toEqual([tenant, '11111111-1111-1111-1111-111111111111']);
    expect(access.allowedChannels).toEqual(['19:alerts@thread.tacv2']);
    expect(access.roles).toEqual({ responders: ['r1', 'r2'], leads: ['l1'] });
    expect(loadConfig({ ...bot, ALLOWED_TENANT_IDS: '*' }).access.allowedTenants).toBe('any');
  });

  it('requires ALLOWED_TENANT_IDS for a MultiTenant bot without a tenant id', () => {
    expect(() =>
      loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret', MicrosoftAppType: 'MultiTenant' }),
    ).toThrow(/ALLOWED_TENANT_IDS: is required/);
  });
});
