import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isCopilotError } from '../../../src/errors';
import { validateKql, warmKqlValidator, type KqlValidation } from '../../../src/kql/validator';

function codes(result: KqlValidation, severity: 'error' | 'warning'): string[] {
  return result.diagnostics.filter((diagnostic) => diagnostic.severity === severity).map(({ code }) => code);
}

const sentinel = { platform: 'sentinel' } as const;
const defender = { platform: 'defender' } as const;

describe('validateKql (sentinel)', () => {
  it('accepts a valid time-bounded query with no diagnostics', () => {
    const query = 'SecurityEvent | where TimeGenerated > ago(1d) | where EventID == 4624 | project Account';
    expect(validateKql(query, sentinel)).toEqual({ valid: true, diagnostics: [] });
  });

  it('flags an unknown column with Kusto code KS142 at the name', () => {
    const query = 'SecurityEvent | where TimeGenerated > ago(1d) | where NoSuchColumn == 1';
    const result = validateKql(query, sentinel);
    expect(result.valid).toBe(false);
    expect(result.diagnostics).toContainEqual({
      code: 'KS142',
      severity: 'error',
      message: "The name 'NoSuchColumn' does not refer to any known column, table, variable or function.",
      start: query.indexOf('NoSuchColumn'),
      length: 'NoSuchColumn'.length,
    });
  });

  it('flags a datetime compared with a number and a broken pipe', () => {
    expect(codes(validateKql('SecurityEvent | where TimeGenerated > 5', sentinel), 'error')).toEqual(['KS106']);
    expect(validateKql('SecurityEvent | | where TimeGenerated > ago(1d)', sentinel).valid).toBe(false);
  });

  it('knows the Sentinel functions: watchlists and ASIM parsers with their columns', () => {
    for (const query of [
      '_GetWatchlist("HighValueAssets") | project SearchKey, WatchlistItem',
      'imProcessCreate(starttime=ago(1d)) | where TargetProcessName has "cmd.exe" | project DvcHostname, CommandLine',
      'imNetworkSession | where TimeGenerated > ago(1h) | summarize count() by DstIpAddr, DstPortNumber',
      'imAuthentication | where TimeGenerated > ago(1h) | where EventResult == "Failure" | count',
      '_Im_Dns(starttime=ago(1h), domain_has_any=dynamic(["example.com"])) | project DnsQuery, SrcIpAddr',
      'imWebSession | where TimeGenerated > ago(1h) | project Url',
      'imFileEvent | where TimeGenerated > ago(1h) | project TargetFilePath',
      'imRegistry | where TimeGenerated > ago(1h) | project RegistryKey',
    ]) {
      expect({ query, result: validateKql(query, sentinel) }).toEqual({
        query,
        result: { valid: true, diagnostics: [] },
      });
    }
    expect(
      codes(validateKql('imDns | where TimeGenerated > ago(1h) | project NoSuchField', sentinel), 'error'),
    ).toEqual(['KS142']);
  });

  it('does not know the Defender functions', () => {
    expect(validateKql('DeviceFromIP("10.0.0.1", ago(1d))', sentinel).valid).toBe(false);
  });
});

describe('validateKql (defender)', () => {
  it('accepts Timestamp and rejects TimeGenerated on Device* tables', () => {
    expect(validateKql('DeviceProcessEvents | where Timestamp > ago(1d) | project DeviceName', defender)).toEqual({
      valid: true,
      diagnostics: [],
    });
    const query = 'DeviceProcessEvents | where TimeGenerated > ago(1d)';
    const result = validateKql(query, defender);
    expect(result.valid).toBe(false);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'KS142', start: query.indexOf('TimeGenerated') }),
    );
  });

  it('has only the advanced-hunting tables', () => {
    expect(codes(validateKql('SecurityEvent | where Timestamp > ago(1d)', defender), 'error')).toEqual(['KS204']);
    expect(
      validateKql('EmailEvents | where Timestamp > ago(1d) | project Subject, SenderFromAddress', defender).valid,
    ).toBe(true);
  });

  it('knows FileProfile, SeenBy, DeviceFromIP and AssignedIPAddresses', () => {
    for (const query of [
      'DeviceFileEvents | where Timestamp > ago(1d) | invoke FileProfile(SHA1, 1000) | where GlobalPrevalence < 5',
      'DeviceFileEvents | where Timestamp > ago(1d) | invoke FileProfile() | project SHA256, Signer, IsCertificateValid',
      'DeviceInfo | where Timestamp > ago(1d) | invoke SeenBy() | project DeviceId, SeenBy',
      'DeviceFromIP("10.0.0.1", ago(1d)) | project DeviceId',
      'AssignedIPAddresses("workstation-7", ago(1d)) | project Timestamp, IPAddress',
    ]) {
      expect({ query, result: validateKql(query, defender) }).toEqual({
        query,
        result: { valid: true, diagnostics: [] },
      });
    }
  });
});

describe('validateKql warnings', () => {
  it('warns about a query with no time filter, at the table', () => {
    const result = validateKql('SecurityEvent | where EventID == 4625', sentinel);
    expect(result.valid).toBe(true);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'SOC001', severity: 'warning', start: 0, length: 13 }),
    ]);
    expect(
      validateKql('SecurityEvent | where TimeGenerated between (ago(2d) .. ago(1d))', sentinel).diagnostics,
    ).toEqual([]);
    expect(validateKql('print now()', sentinel).diagnostics).toEqual([]);
  });

  it('warns about contains where has works, not for a substring that is not one term', () => {
    const query = 'SecurityEvent | where TimeGenerated > ago(1d) | where CommandLine contains "mimikatz"';
    expect(validateKql(query, sentinel).diagnostics).toEqual([
      expect.objectContaining({ code: 'SOC002', start: query.indexOf('contains'), length: 'contains'.length }),
    ]);
    const substring = 'SecurityEvent | where TimeGenerated > ago(1d) | where CommandLine contains "-enc "';
    expect(validateKql(substring, sentinel).diagnostics).toEqual([]);
  });

  it('warns about join without kind= and search *', () => {
    const join =
      'SecurityEvent | where TimeGenerated > ago(1d) | join (SigninLogs | where TimeGenerated > ago(1d)) on $left.Account == $right.UserPrincipalName';
    expect(codes(validateKql(join, sentinel), 'warning')).toEqual(['SOC003']);
    expect(codes(validateKql(join.replace('join (', 'join kind=inner ('), sentinel), 'warning')).toEqual([]);
    expect(codes(validateKql('search * | where TimeGenerated > ago(1d)', sentinel), 'warning')).toEqual(['SOC004']);
  });

  it('warns about a string literal compared with a numeric column', () => {
    const query = 'SecurityEvent | where TimeGenerated > ago(1d) | where EventID == "4624"';
    expect(validateKql(query, sentinel).diagnostics).toEqual([
      expect.objectContaining({ code: 'SOC005', severity: 'warning', start: query.indexOf('"4624"'), length: 6 }),
    ]);
  });

  it('ignores what comments and string literals say', () => {
    const query =
      '// search * and contains "abc" and join (X) on Y\nSecurityEvent | where TimeGenerated > ago(1d) | where Account == "search * | join (T) on x"';
    expect(validateKql(query, sentinel)).toEqual({ valid: true, diagnostics: [] });
  });
});

describe('validateKql with an operator schema', () => {
  let directory: string;
  let schemaPath: string;
  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'kql-schema-'));
    schemaPath = path.join(directory, 'tables.json');
    writeFileSync(
      schemaPath,
      JSON.stringify({
        tables: {
          Custom_CL: [
            ['TimeGenerated', 'datetime'],
            ['Message', 'string'],
          ],
        },
      }),
    );
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('extends the platform by default and replaces it on request', () => {
    const query = 'Custom_CL | where TimeGenerated > ago(1d) | project Message';
    expect(validateKql(query, sentinel).valid).toBe(false);
    expect(validateKql(query, { ...sentinel, schema: { path: schemaPath } }).valid).toBe(true);
    expect(
      validateKql('SecurityEvent | where TimeGenerated > ago(1d)', { ...sentinel, schema: { path: schemaPath } }).valid,
    ).toBe(true);
    const replaced = { ...sentinel, schema: { path: schemaPath, mode: 'replace' as const } };
    expect(validateKql(query, replaced).valid).toBe(true);
    expect(validateKql('SecurityEvent | where TimeGenerated > ago(1d)', replaced).valid).toBe(false);
  });

  it('takes tables as an object too', () => {
    const schema = { tables: { Extra_CL: [['Timestamp', 'datetime']] as Array<[string, string]> } };
    expect(validateKql('Extra_CL | where Timestamp > ago(1d)', { ...defender, schema }).valid).toBe(true);
  });

  it('reports a bad schema file as a configuration error', () => {
    const badPath = path.join(directory, 'bad.json');
    writeFileSync(badPath, JSON.stringify({ tables: { T: [['A', 'nonsense']] } }));
    let thrown: unknown;
    try {
      validateKql('T', { ...sentinel, schema: { path: badPath } });
    } catch (error) {
      thrown = error;
    }
    expect(isCopilotError(thrown) && thrown.code).toBe('config_invalid');
  });
});

describe('validateKql resources', () => {
  it('keeps one warm analyzer per platform (memory and latency sanity, no timing assertions)', () => {
    warmKqlValidator(sentinel);
    const before = process.memoryUsage().heapUsed;
    for (let round = 0; round < 50; round += 1) {
      validateKql(`SecurityEvent | where TimeGenerated > ago(${round + 1}d) | summarize count() by Account`, sentinel);
    }
    const grownMegabytes = (process.memoryUsage().heapUsed - before) / 1024 ** 2;
    // 50 analyses must not rebuild the 751-table database (tens of megabytes each time).
    expect(grownMegabytes).toBeLessThan(64);
  });
});
