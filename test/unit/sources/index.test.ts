import { createSecurityDataSource, DemoSecurityDataSource, normalizeAlert } from '../../../src/sources';

describe('createSecurityDataSource', () => {
  it('creates the demo source with the given clock', async () => {
    const now = new Date('2025-03-14T15:00:00.000Z');
    const source = createSecurityDataSource('demo', { clock: () => now });
    expect(source).toBeInstanceOf(DemoSecurityDataSource);
    expect(source.name).toBe('demo');
    const [newest] = await source.listAlerts({ limit: 1 });
    expect(Date.parse(newest.createdAt)).toBeLessThan(now.getTime());
    expect(now.getTime() - Date.parse(newest.createdAt)).toBeLessThan(6 * 60 * 60 * 1000);
  });

  it.each(['graph', 'sentinel', ''])('rejects %p as a configuration error', (name) => {
    expect(() => createSecurityDataSource(name)).toThrow(expect.objectContaining({ code: 'config_invalid' }));
  });

  it('exports the mappers', () => {
    expect(typeof normalizeAlert).toBe('function');
  });
});
