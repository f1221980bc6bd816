import {
  CompositeSecurityDataSource,
  createSecurityDataSource,
  DemoSecurityDataSource,
  GraphSecurityDataSource,
  circuitChecks,
  probeSecurityDataSource,
  SentinelSecurityDataSource,
  type SecuritySourceSettings,
} from '../../../../src/sources';

const workspaceId = '3f2a9c1e-7b4d-4e8a-9c0f-5d6e7f8a9b0c';

function settings(overrides: Partial<SecuritySourceSettings>): SecuritySourceSettings {
  return { sources: ['demo'], credential: { kind: 'default' }, ...overrides };
}

describe('createSecurityDataSource from settings', () => {
  it('builds each source kind, and a composite for several', () => {
    expect(createSecurityDataSource(settings({}))).toBeInstanceOf(DemoSecurityDataSource);
    expect(createSecurityDataSource(settings({ sources: ['graph'] }))).toBeInstanceOf(GraphSecurityDataSource);
    const sentinel = createSecurityDataSource(settings({ sources: ['sentinel'], sentinel: { workspaceId } }));
    expect(sentinel).toBeInstanceOf(SentinelSecurityDataSource);
    const both = createSecurityDataSource(settings({ sources: ['graph', 'sentinel'], sentinel: { workspaceId } }));
    expect(both).toBeInstanceOf(CompositeSecurityDataSource);
    expect(both.name).toBe('graph+sentinel');
  });

  it('exposes write-back only where the primary source has it', () => {
    const graphFirst = createSecurityDataSource(
      settings({ sources: ['graph', 'sentinel'], sentinel: { workspaceId } }),
    );
    expect(typeof graphFirst.updateAlert).toBe('function');
    const sentinelFirst = createSecurityDataSource(
      settings({ sources: ['sentinel', 'graph'], sentinel: { workspaceId } }),
    );
    expect(sentinelFirst.updateAlert).toBeUndefined();
    expect(sentinelFirst.updateIncident).toBeUndefined();
  });

  it('refuses sentinel without its workspace as a configuration error', () => {
    expect(() => createSecurityDataSource(settings({ sources: ['sentinel'] }))).toThrow(
      expect.objectContaining({ code: 'config_invalid' }),
    );
  });

  it('probes each source of a composite; a source without a probe is ok', async () => {
    const demo = new DemoSecurityDataSource();
    const failing = Object.assign(new DemoSecurityDataSource(), {
      name: 'graph',
      probe: async () => {
        throw new Error('down');
      },
    });
    const composite = new CompositeSecurityDataSource([demo, failing]);
    expect(await probeSecurityDataSource(composite)).toEqual({ demo: 'ok', graph: 'degraded' });
  });

  it('reports each API circuit for /readyz', () => {
    const sentinel = createSecurityDataSource(
      settings({
        sources: ['sentinel'],
        sentinel: { workspaceId, arm: { subscriptionId: 's', resourceGroup: 'rg', workspaceName: 'ws' } },
      }),
    );
    expect(circuitChecks(sentinel)).toEqual({ 'circuit:Log Analytics': 'ok', 'circuit:Azure Resource Manager': 'ok' });
    expect(circuitChecks(new DemoSecurityDataSource())).toEqual({});
  });
});
