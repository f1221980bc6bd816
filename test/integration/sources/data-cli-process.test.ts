import { ensureBuilt, runBinary } from '../cli/cli-process';

/** The data commands through the built `soc-copilot` binary, against the demo source. */

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

describe('soc-copilot data commands as a process', () => {
  it('prints alerts and one incident as JSON, exit 0', async () => {
    const listed = await runBinary(['alerts', '--severity', 'high', '--limit', '3']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const alerts = JSON.parse(listed.stdout);
    expect(alerts).toHaveLength(3);
    expect(alerts.every((alert: any) => alert.severity === 'high')).toBe(true);

    const incident = await runBinary(['incident', '#42']);
    expect(incident.code).toBe(0);
    expect(JSON.parse(incident.stdout)).toMatchObject({ id: '42', sourceFormat: 'demo' });
  });

  it('exits 2 with the reason for an unknown id and for a source that is not configured', async () => {
    const missing = await runBinary(['alert', 'zz-0000']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('There is no alert "zz-0000"');

    const misconfigured = await runBinary(['incidents'], { environment: { SECURITY_SOURCE: 'sentinel' } });
    expect(misconfigured.code).toBe(2);
    expect(misconfigured.stderr).toContain('SENTINEL_WORKSPACE_ID: is required');
  });
});
