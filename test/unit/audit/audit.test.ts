import { PassThrough } from 'node:stream';
import type { AuditRecord } from '../../../src/audit';
import { AuditTrail, csvHeader, parseSince, redactSecrets, toCsvLine } from '../../../src/audit';
import { auditCommand } from '../../../src/cli/commands/audit';
import { runCli } from '../../../src/cli/run';
import { MemoryStore } from '../../../src/store';

function record(at: string, overrides: Partial<AuditRecord> = {}): Omit<AuditRecord, 'id'> {
  return {
    at,
    kind: 'message',
    capability: 'explainAlertById',
    actor: { aadObjectId: 'aad-1', name: 'Dana', userId: '29:1', tenantId: 't' },
    where: { conversationKind: 'personal', conversationId: 'a:1' },
    inputs: { alertId: 'da-1004' },
    durationMs: 12,
    outcome: 'ok',
    correlationId: 'c-1',
    ...overrides,
  };
}

describe('redactSecrets', () => {
  it.each([
    ['mimikatz.exe "sekurlsa::pth /user:admin" -p Hunter2!', 'Hunter2!'],
    ['net user bob --password=S3cr3t!x', 'S3cr3t!x'],
    ['psexec \\\\host -u corp\\svc -p "pa ss word" cmd', 'pa ss word'],
    ['$pw = ConvertTo-SecureString -String "Pl41n!" -AsPlainText', 'Pl41n!'],
    ['curl -H "Authorization: Bearer abcdef0123456789abcdef"', 'abcdef0123456789abcdef'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_part-xyz', 'eyJhbGciOiJIUzI1NiJ9'],
    ['DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc123/+==;EndpointSuffix=x', 'abc123/+=='],
    ['Server=db;User Id=sa;Password=Sup3rS3cret;', 'Sup3rS3cret'],
    ['https://acct.blob.core.windows.net/c?sv=2020&sig=AbCdEf%2Bgh', 'AbCdEf%2Bgh'],
    ['api_key: "k-123456789"', 'k-123456789'],
    ['OPENAI key sk-proj-abcdefghijklmnopqrstuvwx', 'sk-proj-abcdefghijklmnopqrstuvwx'],
    ['ftp://admin:letmein@files.example', 'letmein'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA'],
  ])('removes the secret from %j', (text, secret) => {
    expect(redactSecrets(text)).not.toContain(secret);
  });

  it('keeps ordinary text, ids and KQL as they are', () => {
    const text = 'DeviceProcessEvents | where ProcessCommandLine has "-enc" | take 10 — alert da-1004, incident 42';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('AuditTrail', () => {
  it('appends create-only records under audit/<day>/<time>-<id>, redacted', async () => {
    const store = new MemoryStore();
    const trail = new AuditTrail(store);
    const key = await trail.append({
      ...record('2025-03-04T05:06:07.089Z'),
      id: 'fixed',
      kql: 'x | where a has "password=abc123"',
    });
    expect(key).toBe('audit/2025-03-04/050607089-fixed');
    expect(JSON.stringify((await store.get(key))?.value)).not.toContain('abc123');
    await expect(trail.append({ ...record('2025-03-04T05:06:07.089Z'), id: 'fixed' })).rejects.toMatchObject({
      code: 'store_conflict',
    });
  });

  it('removes records older than the retention, by day, with a fake clock', async () => {
    const store = new MemoryStore();
    let now = new Date('2025-06-30T12:00:00Z');
    const trail = new AuditTrail(store, () => now);
    await trail.append(record('2025-06-01T23:59:59.000Z'));
    await trail.append(record('2025-06-02T00:00:00.000Z'));
    await trail.append(record('2025-06-29T10:00:00.000Z'));
    expect(await trail.cleanup(28)).toBe(1);
    expect((await store.list('audit/')).map((key) => key.slice(6, 16))).toEqual(['2025-06-02', '2025-06-29']);
    now = new Date('2026-06-30T00:00:00Z');
    expect(await trail.cleanup(365)).toBe(2);
    expect(await store.list('audit/')).toEqual([]);
  });

  it('lists one person’s newest records first and a time range oldest first', async () => {
    const store = new MemoryStore();
    const trail = new AuditTrail(store, () => new Date('2025-06-30T12:00:00Z'));
    for (let hour = 0; hour < 12; hour += 1) {
      await trail.append(record(`2025-06-30T${String(hour).padStart(2, '0')}:00:00.000Z`, { durationMs: hour }));
    }
    await trail.append(record('2025-06-30T11:30:00.000Z', { actor: { userId: '29:2', aadObjectId: 'aad-2' } }));
    const mine = await trail.recentFor({ aadObjectId: 'aad-1', userId: '29:1' }, 10);
    expect(mine.map((entry) => entry.durationMs)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    const range = [];
    for await (const entry of trail.between(new Date('2025-06-30T10:00:00Z'), new Date('2025-06-30T11:00:00Z'))) {
      range.push(entry.durationMs);
    }
    expect(range).toEqual([10, 11]);
  });
});

describe('export', () => {
  it('writes CSV with a header, quoting and formula protection', () => {
    const line = toCsvLine({
      ...record('2025-01-01T00:00:00.000Z'),
      id: 'x',
      kql: '=cmd|" calc"',
      actor: { userId: 'u', name: 'Doe, Jane' },
    });
    expect(csvHeader().split(',')).toHaveLength(line.match(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)!.length);
    expect(line).toContain('"Doe, Jane"');
    expect(line).toContain(`"'=cmd|"" calc"""`);
  });

  it('parses --since as a duration or a date', () => {
    const now = new Date('2025-06-30T00:00:00Z');
    expect(parseSince('7d', now)?.toISOString()).toBe('2025-06-23T00:00:00.000Z');
    expect(parseSince('24h', now)?.toISOString()).toBe('2025-06-29T00:00:00.000Z');
    expect(parseSince('2025-01-01', now)?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(parseSince('soon', now)).toBeUndefined();
  });
});

describe('soc-copilot audit export', () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    return {
      io: {
        stdin: new PassThrough(),
        stdout: (text: string) => out.push(text),
        stderr: (text: string) => err.push(text),
        environment: {},
      },
      out: () => out.join(''),
      err: () => err.join(''),
    };
  }

  async function seeded(): Promise<MemoryStore> {
    const store = new MemoryStore();
    const trail = new AuditTrail(store);
    const now = Date.now();
    await trail.append(record(new Date(now - 10 * 86_400_000).toISOString(), { capability: 'old' }));
    await trail.append(record(new Date(now - 2 * 86_400_000).toISOString(), { capability: 'triageQueue' }));
    await trail.append(record(new Date(now - 60_000).toISOString(), { capability: 'huntForThreat' }));
    return store;
  }

  it('prints the records since 7 days as JSON lines, oldest first', async () => {
    const store = await seeded();
    const run = io();
    expect(await auditCommand(['export', '--since', '7d'], run.io, async () => store)).toBe(0);
    const lines = run
      .out()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditRecord);
    expect(lines.map((line) => line.capability)).toEqual(['triageQueue', 'huntForThreat']);
  });

  it('prints CSV with a header row', async () => {
    const store = await seeded();
    const run = io();
    expect(await auditCommand(['export', '--since', '30d', '--format', 'csv'], run.io, async () => store)).toBe(0);
    const rows = run.out().trim().split('\n');
    expect(rows[0]).toBe(csvHeader());
    expect(rows.slice(1).map((row) => row.split(',')[2])).toEqual(['old', 'triageQueue', 'huntForThreat']);
  });

  it('reads the configured store through the command table, and rejects bad options with exit code 2', async () => {
    const run = io();
    run.io.environment = { STORE: 'memory' };
    expect(await runCli(['audit', 'export'], run.io)).toBe(0);
    expect(run.out()).toBe('');
    const bad = io();
    expect(await runCli(['audit', 'export', '--format', 'xml'], bad.io)).toBe(2);
    expect(bad.err()).toContain('--format must be jsonl or csv');
    expect(await runCli(['audit', 'export', '--since', 'soon'], bad.io)).toBe(2);
    expect(await runCli(['audit', 'purge'], bad.io)).toBe(2);
  });
});
