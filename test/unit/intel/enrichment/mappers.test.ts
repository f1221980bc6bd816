import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mapAbuseIpDbCheck } from '../../../../src/intel/enrichment/adapters/abuseipdb';
import { mapHostReputation } from '../../../../src/intel/enrichment/adapters/mdti';
import { mapOtxGeneral, otxSection } from '../../../../src/intel/enrichment/adapters/otx';
import {
  mapVirusTotalObject,
  virusTotalPath,
  virusTotalUrlId,
} from '../../../../src/intel/enrichment/adapters/virustotal';
import type { Indicator } from '../../../../src/intel/enrichment/types';

/** The mappers carry the logic; they are tested directly on the recorded shapes (as parsed by their schemas). */
function fixture<T>(name: string): T {
  const file = path.join(__dirname, '..', '..', '..', 'fixtures', 'enrichment', name);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

const IP: Indicator = { type: 'ipv4', value: '91.240.118.172' };
const DOMAIN: Indicator = { type: 'domain', value: 'contoso-docs.net' };

describe('VirusTotal mapper', () => {
  it('flags an address most engines call malicious, with the numbers behind it', () => {
    const finding = mapVirusTotalObject(IP, fixture('virustotal-ip-malicious.json'));
    expect(finding).toMatchObject({
      verdict: 'malicious',
      score: { value: 12, max: 94, label: '12/94 engines' },
      detail: '12 of 94 engines flag it as malicious, 2 as suspicious; community reputation -35.',
      reference: 'https://www.virustotal.com/gui/ip-address/91.240.118.172',
    });
  });

  it('takes malware families and categories from popular_threat_classification', () => {
    const finding = mapVirusTotalObject(
      { type: 'sha256', value: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f' },
      fixture('virustotal-file-eicar.json'),
    );
    expect(finding.verdict).toBe('malicious');
    expect(finding.associations).toEqual({
      malwareFamilies: ['eicar', 'test'],
      groups: [],
      tags: ['virus', 'trojan', 'text', 'attachment'],
    });
    expect(finding.detail).toContain('threat label "virus.eicar/test"');
  });

  it('calls a domain no engine flags harmless, and one with only "undetected" unknown', () => {
    expect(mapVirusTotalObject(DOMAIN, fixture('virustotal-domain-clean.json')).verdict).toBe('harmless');
    const silent = fixture<any>('virustotal-domain-clean.json');
    silent.data.attributes.last_analysis_stats = { malicious: 0, suspicious: 0, harmless: 0, undetected: 90 };
    expect(mapVirusTotalObject(DOMAIN, silent).verdict).toBe('unknown');
  });

  it('treats one or two detections as suspicious, not malicious', () => {
    const few = fixture<any>('virustotal-ip-malicious.json');
    few.data.attributes.last_analysis_stats = { malicious: 2, suspicious: 0, harmless: 60, undetected: 30 };
    expect(mapVirusTotalObject(IP, few).verdict).toBe('suspicious');
  });

  it('links a URL report by the SHA-256 id VirusTotal returned', () => {
    const finding = mapVirusTotalObject(
      { type: 'url', value: 'https://login-contoso-verify.top/owa/auth.php' },
      fixture('virustotal-url-phishing.json'),
    );
    expect(finding.reference).toBe(
      'https://www.virustotal.com/gui/url/0e6c8d4f3d4bbf0e0a6bb4b6f0f5d3a4c5e7f0d2b9a1c3e5f7a9b1d3f5e7c9a1',
    );
  });

  it('builds the documented paths and the unpadded base64url URL id', () => {
    expect(virusTotalUrlId('http://www.google.com/')).toBe('aHR0cDovL3d3dy5nb29nbGUuY29tLw');
    expect(virusTotalUrlId('https://a.example/?q=>>>')).not.toMatch(/[+/=]/);
    expect(virusTotalPath({ type: 'ipv6', value: '2606:4700::1111' })).toBe(
      'api/v3/ip_addresses/2606%3A4700%3A%3A1111',
    );
    expect(virusTotalPath(DOMAIN)).toBe('api/v3/domains/contoso-docs.net');
  });
});

describe('AbuseIPDB mapper', () => {
  it('maps a heavily reported address to malicious with its context', () => {
    const finding = mapAbuseIpDbCheck(IP, fixture('abuseipdb-check-malicious.json'));
    expect(finding).toMatchObject({
      verdict: 'malicious',
      score: { value: 100, max: 100, label: '100% confidence' },
      detail:
        'Abuse confidence 100% from 1287 reports in 90 days; Example Hosting LLC, Data Center/Web Hosting/Transit, NL.',
      reference: 'https://www.abuseipdb.com/check/91.240.118.172',
    });
  });

  it('never calls an unreported address harmless: AbuseIPDB is a block list', () => {
    const finding = mapAbuseIpDbCheck(
      { type: 'ipv4', value: '20.112.52.29' },
      fixture('abuseipdb-check-unreported.json'),
    );
    expect(finding.verdict).toBe('unknown');
    expect(finding.detail).toMatch(/^Abuse confidence 0% from 0 reports/);
  });

  it('scores 25-74 as suspicious and trusts its allow-list', () => {
    const middling = fixture<any>('abuseipdb-check-malicious.json');
    middling.data.abuseConfidenceScore = 40;
    expect(mapAbuseIpDbCheck(IP, middling).verdict).toBe('suspicious');
    middling.data.isWhitelisted = true;
    expect(mapAbuseIpDbCheck(IP, middling).verdict).toBe('harmless');
  });
});

describe('OTX mapper', () => {
  it('reads malware families (object form), adversaries and tags from pulses', () => {
    const finding = mapOtxGeneral(IP, fixture('otx-ipv4-general.json'));
    expect(finding.verdict).toBe('malicious');
    expect(finding.associations).toEqual({
      malwareFamilies: ['Emotet'],
      groups: ['TA542'],
      tags: ['emotet', 'c2', 'botnet', 'scanner', 'malspam'],
    });
    expect(finding.score).toEqual({ value: 3, label: '3 pulses' });
    expect(finding.detail).toBe(
      'Named in 3 pulses; e.g. "Emotet epoch 5 C2 infrastructure", "Scanning hosts week 21".',
    );
    expect(finding.reference).toBe('https://otx.alienvault.com/indicator/ip/91.240.118.172');
  });

  it('accepts malware families as plain strings (older answers)', () => {
    const older = fixture<any>('otx-ipv4-general.json');
    older.pulse_info.pulses = [{ name: 'Old pulse', malware_families: ['QakBot'], tags: [] }];
    expect(mapOtxGeneral(IP, older).associations.malwareFamilies).toEqual(['QakBot']);
  });

  it('lets OTX allow-listing win over pulses, and answers unknown with no pulses', () => {
    const allowListed = mapOtxGeneral(DOMAIN, fixture('otx-domain-allowlisted.json'));
    expect(allowListed.verdict).toBe('harmless');
    expect(allowListed.detail).toContain('allow-listed: Whitelisted domain');
    const none = mapOtxGeneral(
      { type: 'sha1', value: '3395856ce81f2b7382dee72602f798b642f14140' },
      fixture('otx-file-not-in-pulses.json'),
    );
    expect(none.verdict).toBe('unknown');
  });

  it('marks pulses without a family or adversary as suspicious only', () => {
    const plain = fixture<any>('otx-ipv4-general.json');
    plain.pulse_info.pulses = [{ name: 'Scanners', tags: ['scanner'], malware_families: [], adversary: '' }];
    expect(mapOtxGeneral(IP, plain).verdict).toBe('suspicious');
  });

  it('chooses the documented section per indicator type', () => {
    expect(otxSection({ type: 'ipv6', value: '2606:4700::1111' })).toBe('IPv6');
    expect(otxSection({ type: 'domain', value: 'evil.co.uk' })).toBe('domain');
    expect(otxSection({ type: 'domain', value: 'a.evil.com' })).toBe('hostname');
    expect(otxSection({ type: 'url', value: 'https://a.evil.com/' })).toBe('url');
    expect(otxSection({ type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f' })).toBe('file');
  });
});

describe('Defender TI mapper', () => {
  it('maps classification and score, most severe rules first', () => {
    const finding = mapHostReputation(
      { type: 'domain', value: 'login-contoso-verify.top' },
      fixture('mdti-host-reputation-malicious.json'),
    );
    expect(finding.verdict).toBe('malicious');
    expect(finding.score).toEqual({ value: 100, max: 100, label: 'score 100/100' });
    expect(finding.detail).toMatch(
      /^Classified malicious, score 100\/100\. Rules: Microsoft Defender Threat Intelligence Intel Article \(high\): Activity Snapshot/,
    );
    expect(finding.reference).toBe('https://ti.defender.microsoft.com/search?query=login-contoso-verify.top');
  });

  it('maps neutral to harmless and an unknown future value to unknown', () => {
    expect(mapHostReputation(DOMAIN, fixture('mdti-host-reputation-neutral.json')).verdict).toBe('harmless');
    expect(mapHostReputation(DOMAIN, { classification: 'unknownFutureValue', score: null }).verdict).toBe('unknown');
  });
});
