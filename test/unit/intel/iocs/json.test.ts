import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  extractIocsFromJson,
  iocsForAlert,
  refang,
  toPlainLists,
  type IocReport,
  type JsonOccurrence,
} from '../../../../src/intel/iocs';
import { AlertSchema, type Alert } from '../../../../src/sources/model';
import { normalizeAlert } from '../../../../src/sources/normalize';
import { describeWithSharedData, sharedDataPath } from '../../../support/shared-data';

function nonEmpty(report: IocReport) {
  return Object.fromEntries(Object.entries(toPlainLists(report)).filter(([, values]) => values.length > 0));
}

/** The string a JSON occurrence path names, parsing strings that hold JSON on the way (as the walker does). */
function stringAt(root: unknown, jsonPath: string): string {
  const steps = [...jsonPath.slice(1).matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)].map(
    (step) => step[1] ?? (step[2] !== undefined ? Number(step[2]) : (JSON.parse(step[3]) as string)),
  );
  let current: unknown = root;
  for (const step of steps) {
    if (typeof current === 'string') current = JSON.parse(current);
    current = (current as Record<string | number, unknown>)[step];
  }
  if (typeof current !== 'string') throw new Error(`${jsonPath} does not name a string`);
  return current;
}

/** Types whose value is exactly what was written, once refanged (others are also normalized: paths, IPv6 zones). */
const writtenAsIs = new Set(['ipv4', 'domain', 'email', 'md5', 'sha1', 'sha256']);

function expectOccurrencesPointAtTheirText(root: unknown, report: IocReport) {
  for (const iocs of Object.values(report)) {
    for (const ioc of iocs) {
      for (const occurrence of ioc.occurrences as JsonOccurrence[]) {
        const written = refang(stringAt(root, occurrence.path).slice(occurrence.start, occurrence.end));
        if (writtenAsIs.has(ioc.type)) expect(written.toLowerCase()).toBe(ioc.value);
        else expect(written.length).toBeGreaterThan(0);
      }
    }
  }
}

describe('extractIocsFromJson', () => {
  const document = {
    title: 'Beacon to hxxps://c2.evil[.]com/a',
    'Alert Mode': 'Aggregated from 10.0.0.5',
    nested: { list: ['nothing', { sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }] },
    Entities: '[{"$id":"2","Address":"185.220.101.45","Type":"ip"},{"Url":"http://evil.net/x","Type":"url"}]',
    notJson: '[2024-10-10] connection from 45.9.148.99',
    count: 42,
    flag: true,
    empty: null,
  };

  it('walks every string and records its path and the offsets inside it', () => {
    const report = extractIocsFromJson(document);
    expect(nonEmpty(report)).toEqual({
      ipv4: ['10.0.0.5', '185.220.101.45', '45.9.148.99'],
      domain: ['c2.evil.com', 'evil.net'],
      url: ['https://c2.evil.com/a', 'http://evil.net/x'],
      sha256: ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    });
    expect(report.url[0].occurrences).toEqual([{ path: '$.title', start: 10, end: 33 }]);
    expect(report.ipv4[0].occurrences).toEqual([{ path: '$["Alert Mode"]', start: 16, end: 24 }]);
    expect(report.sha256[0].occurrences).toEqual([{ path: '$.nested.list[1].sha256', start: 0, end: 64 }]);
  });

  it('walks a string that holds JSON as JSON, its paths continuing from the string', () => {
    const report = extractIocsFromJson(document);
    expect(report.ipv4[1].occurrences).toEqual([{ path: '$.Entities[0].Address', start: 0, end: 14 }]);
    expect(report.url[1].occurrences).toEqual([{ path: '$.Entities[1].Url', start: 0, end: 17 }]);
    expect(report.ipv4[2].occurrences).toEqual([{ path: '$.notJson', start: 29, end: 40 }]);
    expectOccurrencesPointAtTheirText(document, report);
  });

  it('accepts any JSON value, including a bare string', () => {
    expect(nonEmpty(extractIocsFromJson('evil[.]com'))).toEqual({ domain: ['evil.com'] });
    expect(nonEmpty(extractIocsFromJson([1, null, false]))).toEqual({});
    expect(extractIocsFromJson('1.2.3.4').ipv4[0].occurrences).toEqual([{ path: '$', start: 0, end: 7 }]);
  });

  it('does not overflow the stack on deeply nested input', () => {
    let deep: unknown = 'deep inside: 8.8.8.8';
    for (let depth = 0; depth < 100_000; depth += 1) deep = [deep];
    expect(toPlainLists(extractIocsFromJson(deep)).ipv4).toEqual(['8.8.8.8']);
  });
});

describe('iocsForAlert', () => {
  const alert: Alert = AlertSchema.parse({
    id: 'a-1',
    sourceFormat: 'demo',
    title: 'Connection to 203.0.113.7 after phishing click',
    description: 'alice@contoso.com clicked hxxps://login-contoso[.]top/x (CVE-2023-23397).',
    severity: 'high',
    status: 'new',
    productName: 'Microsoft Defender XDR',
    createdAt: '2024-05-01T14:03:12.000Z',
    techniques: ['T1566.002'],
    entities: [
      { type: 'domain', value: 'payroll.zip', properties: {} },
      { type: 'ip', value: 'fe80::1', properties: {} },
      {
        type: 'file',
        value: 'invoice.exe',
        properties: {
          sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
          filePath: 'C:\\Users\\alice\\Downloads\\invoice.exe',
        },
      },
      { type: 'host', value: 'ws-0142.contoso.com', properties: {} },
    ],
  });

  it('extracts from the title, description, techniques and entities with their properties', () => {
    const report = iocsForAlert(alert);
    expect(nonEmpty(report)).toEqual({
      ipv4: ['203.0.113.7'],
      ipv6: ['fe80::1'],
      domain: ['contoso.com', 'login-contoso.top', 'ws-0142.contoso.com', 'payroll.zip'],
      url: ['https://login-contoso.top/x'],
      email: ['alice@contoso.com'],
      sha256: ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
      cve: ['CVE-2023-23397'],
      attackTechnique: ['T1566.002'],
      filePath: ['C:\\Users\\alice\\Downloads\\invoice.exe'],
    });
    expect(report.sha256[0].occurrences).toEqual([{ path: '$.entities[2].properties.sha256', start: 0, end: 64 }]);
    expect(report.attackTechnique[0].occurrences).toEqual([{ path: '$.techniques[0]', start: 0, end: 9 }]);
  });

  it("trusts an entity's type where bare text would not (a domain on a file-extension TLD)", () => {
    const report = iocsForAlert(alert);
    expect(report.domain.find((ioc) => ioc.value === 'payroll.zip')?.occurrences).toEqual([
      { path: '$.entities[0].value', start: 0, end: 11 },
    ]);
  });

  it('reads the recorded Graph alert fixture', () => {
    const fixture = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../../fixtures/alerts/graph-alert-v2-url-click.json'), 'utf8'),
    ) as unknown;
    const report = iocsForAlert(normalizeAlert(fixture));
    const urlEntities = normalizeAlert(fixture).entities.filter((entity) => entity.type === 'url');
    expect(urlEntities.length).toBeGreaterThan(0);
    for (const entity of urlEntities) {
      expect(report.url.map((ioc) => ioc.value.toLowerCase())).toContain(entity.value.toLowerCase());
    }
  });
});

const sentinelAlertsFile = sharedDataPath('alerts', 'sentinel-securityalert.dev.json');

describeWithSharedData('IOCs in real Sentinel alerts (sentinel-securityalert.dev.json)', sentinelAlertsFile, () => {
  const rows = JSON.parse(readFileSync(sentinelAlertsFile, 'utf8')) as unknown[];

  it('finds the address of every IP entity of every alert', () => {
    const missing: string[] = [];
    for (const row of rows) {
      const alert = normalizeAlert(row);
      const report = iocsForAlert(alert);
      const found = new Set([...report.ipv4, ...report.ipv6].map((ioc) => ioc.value));
      for (const entity of alert.entities.filter((candidate) => candidate.type === 'ip')) {
        if (!found.has(entity.value.toLowerCase())) missing.push(`${alert.id}: ${entity.value}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('walks every raw row as JSON, with every occurrence pointing at text in the row', () => {
    let indicators = 0;
    for (const row of rows) {
      const report = extractIocsFromJson(row);
      expectOccurrencesPointAtTheirText(row, report);
      indicators += Object.values(report).reduce((sum, iocs) => sum + iocs.length, 0);
    }
    expect(indicators).toBeGreaterThan(rows.length);
  });
});
