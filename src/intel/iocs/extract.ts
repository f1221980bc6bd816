import { canonicalIp } from './classify';
import { DEFAULT_MAX_OCCURRENCES, IocCollector } from './collector';
import { IOC_PATTERN, MATCH_KINDS, NESTED_URL_START } from './patterns';
import { refangWithOffsets } from './refang';
import type { ExtractOptions, IocOccurrence, IocReport, IocType } from './types';
import {
  hashType,
  isBareDomain,
  isContextDomain,
  isIpv4,
  isIpv6Indicator,
  isMessageIdentifier,
  isVersionContext,
  lengthWithoutTrailingPunctuation,
  parseUrl,
} from './validate';

/**
 * Extracts indicators from free text: refangs it (every style in refang.ts), scans it once (patterns.ts), checks
 * each candidate (validate.ts), and reports each indicator once per type, in first-seen order, with the offsets
 * where it was written in `text` as given (before refanging).
 */
export function extractIocs(text: string, options: ExtractOptions = {}): IocReport {
  const collector = new IocCollector(options.maxOccurrences ?? DEFAULT_MAX_OCCURRENCES);
  scanText(text, collector, options, (start, end) => ({ start, end }));
  return collector.report();
}

/** Maps a span of the original text to the occurrence to record (offsets for text, a path and offsets for JSON). */
export type OccurrenceAt = (start: number, end: number) => IocOccurrence;

/** Nested URLs followed inside one URL: open redirects rarely chain more, and a cap keeps hostile input linear. */
const MAX_NESTED_URLS = 5;
/** How far a path or registry key may be extended to its closing quote (`"HKCU\…\Run\Windows Update"`). */
const MAX_QUOTED_EXTENSION = 64;

/** Scans one string into a collector; `extractIocs` and the JSON walker share it. */
export function scanText(text: string, collector: IocCollector, options: ExtractOptions, occurrenceAt: OccurrenceAt) {
  const refanged = refangWithOffsets(text);
  new TextScan(refanged.text, collector, options, (start, end) =>
    occurrenceAt(refanged.originalOffset(start, 'start'), refanged.originalOffset(end, 'end')),
  ).run();
}

class TextScan {
  private readonly pattern = new RegExp(IOC_PATTERN);

  constructor(
    private readonly source: string,
    private readonly collector: IocCollector,
    private readonly options: ExtractOptions,
    private readonly occurrenceAt: OccurrenceAt,
  ) {}

  run(): void {
    const { pattern, source } = this;
    for (let match = pattern.exec(source); match !== null; match = pattern.exec(source)) {
      let group = 1;
      while (match[group] === undefined) group += 1;
      const start = match.index;
      const written = match[0];
      switch (MATCH_KINDS[group - 1]) {
        case 'url':
          this.url(start, written);
          break;
        case 'email':
          this.email(start, written);
          break;
        case 'registry':
          this.registryKey(start, written);
          break;
        case 'windowsPath':
          this.windowsPath(start, written);
          break;
        case 'unixPath':
          this.unixPath(start, written);
          break;
        case 'cve':
          this.cve(start, written);
          break;
        case 'technique':
          this.technique(start, written);
          break;
        case 'ipv6':
          this.ipv6(start, written);
          break;
        case 'ipv4':
          this.ipv4(start, written);
          break;
        case 'hash':
          this.hash(start, written);
          break;
        case 'domain':
          this.domain(start, written);
          break;
      }
    }
  }

  private emit(type: IocType, value: string, key: string, start: number, end: number): void {
    this.collector.add(type, value, key, this.occurrenceAt(start, end));
  }

  private url(start: number, matched: string): void {
    // A URL in a delimited field (a CSV or TSV feed line) ends at the next comma, which a URL in prose keeps.
    const inField = /^$|[\n\r\t,;]$/.test(this.source.charAt(start - 1));
    const comma = inField ? matched.indexOf(',') : -1;
    const written = comma === -1 ? matched : matched.slice(0, comma);
    const length = lengthWithoutTrailingPunctuation(written);
    // What was cut (a closing bracket, a full stop) is scanned again, though nothing can start there today.
    this.pattern.lastIndex = start + length;
    const url = written.slice(0, length);
    const parsed = this.urlAndHost(start, url);
    if (parsed === undefined) return;
    NESTED_URL_START.lastIndex = parsed.pathStart;
    for (let nested = 0; nested < MAX_NESTED_URLS; nested += 1) {
      const inner = NESTED_URL_START.exec(url);
      if (inner === null) break;
      const candidate = url.slice(inner.index, inner.index + lengthWithoutTrailingPunctuation(url.slice(inner.index)));
      this.urlAndHost(start + inner.index, candidate);
    }
  }

  private urlAndHost(start: number, url: string): ReturnType<typeof parseUrl> {
    const parsed = parseUrl(url);
    if (parsed === undefined) return undefined;
    this.emit('url', parsed.value, parsed.value, start, start + url.length);
    const hostStart = start + parsed.hostStart;
    const hostEnd = hostStart + parsed.host.length;
    if (parsed.hostKind === 'domain') this.emit('domain', parsed.host, parsed.host, hostStart, hostEnd);
    else if (parsed.hostKind === 'ipv4') this.emit('ipv4', parsed.host, parsed.host, hostStart, hostEnd);
    else if (parsed.hostKind === 'ipv6') this.emitIpv6(parsed.host, hostStart, hostEnd);
    return parsed;
  }

  private email(matchStart: number, matched: string): void {
    // `UserId=alice@contoso.com` in key=value logs: the field name is not part of the address (an SRS local part
    // such as `bounce+7f3a=contoso.com` keeps its `=`).
    const field = /^[a-z_]+=/i.exec(matched);
    const start = field === null ? matchStart : matchStart + field[0].length;
    const written = field === null ? matched : matched.slice(field[0].length);
    const at = written.lastIndexOf('@');
    if (at <= 0) return;
    const local = written.slice(0, at);
    const domain = written.slice(at + 1).toLowerCase();
    if (!isContextDomain(domain)) return;
    if (!/\.\.|\.$/.test(local) && !isMessageIdentifier(this.source, start)) {
      const address = written.toLowerCase();
      this.emit('email', address, address, start, start + written.length);
    }
    this.emit('domain', domain, domain, start + at + 1, start + written.length);
  }

  private registryKey(start: number, written: string): void {
    const length = this.extendToClosingQuote(start, lengthWithoutTrailingPunctuation(written, '.,;:!?)'));
    this.pattern.lastIndex = start + length;
    const key = unescapeBackslashes(this.source.slice(start, start + length).replace(/\\+$/, ''));
    this.emit('registryKey', key, key.toLowerCase(), start, start + length);
  }

  private windowsPath(start: number, written: string): void {
    const length = this.extendToClosingQuote(start, lengthWithoutTrailingPunctuation(written, '.,;:!?'));
    this.pattern.lastIndex = start + length;
    const path = unescapeBackslashes(this.source.slice(start, start + length).replace(/\\+$/, ''));
    this.emit('filePath', path, path.toLowerCase(), start, start + length);
    const unc = /^\\\\([^\\@]+)/.exec(path);
    if (unc === null) return;
    // \\host\share reaches out to the host (WebDAV, forced authentication): the host is an indicator too.
    const host = unc[1].toLowerCase();
    const hostStart = this.source.indexOf(unc[1], start);
    if (isIpv4(host)) this.emit('ipv4', host, host, hostStart, hostStart + host.length);
    else if (isContextDomain(host)) this.emit('domain', host, host, hostStart, hostStart + host.length);
  }

  private unixPath(start: number, written: string): void {
    const length = lengthWithoutTrailingPunctuation(written, '.,;:!?');
    this.pattern.lastIndex = start + length;
    const path = written.slice(0, length).replace(/(?<=.)\/+$/, '');
    this.emit('filePath', path, path, start, start + path.length);
    // Bash's /dev/tcp/HOST/PORT opens a connection: the reverse-shell target is an indicator too.
    const socket = /^\/dev\/(?:tcp|udp)\/([^/]+)/.exec(path);
    if (socket === null) return;
    const host = socket[1].toLowerCase();
    const hostStart = start + 9;
    if (isIpv4(host)) this.emit('ipv4', host, host, hostStart, hostStart + host.length);
    else if (isContextDomain(host)) this.emit('domain', host, host, hostStart, hostStart + host.length);
  }

  private cve(start: number, written: string): void {
    const value = written.toUpperCase().replace(/[\u2010-\u2014]/g, '-');
    this.emit('cve', value, value, start, start + written.length);
  }

  private technique(start: number, written: string): void {
    const value = written.toUpperCase().replace(/[/_-]/, '.');
    if (this.options.isKnownTechnique !== undefined && !this.options.isKnownTechnique(value)) return;
    this.emit('attackTechnique', value, value, start, start + written.length);
  }

  private ipv6(start: number, written: string): void {
    // "2001:db8::1: blocked" — the pattern takes the colon that ends the clause.
    const candidate = /[^:]:$/.test(written) ? written.slice(0, -1) : written;
    this.emitIpv6(candidate, start, start + candidate.length);
  }

  private emitIpv6(written: string, start: number, end: number): void {
    const [withZone, prefix] = written.split('/');
    const address = withZone.replace(/%.*$/, '').toLowerCase();
    const isCidr = prefix !== undefined;
    if (!isIpv6Indicator(address, isCidr) || (isCidr && Number(prefix) > 128)) return;
    const value = isCidr ? `${address}/${prefix}` : address;
    this.emit(isCidr ? 'cidr' : 'ipv6', value, canonicalIp(value), start, end);
  }

  private ipv4(start: number, written: string): void {
    if (isVersionContext(this.source.slice(Math.max(0, start - 32), start))) return;
    const type = written.includes('/') ? 'cidr' : 'ipv4';
    this.emit(type, written, written, start, start + written.length);
  }

  private hash(start: number, written: string): void {
    const value = written.toLowerCase();
    const type = hashType(value);
    if (type !== undefined) this.emit(type, value, value, start, start + written.length);
  }

  private domain(start: number, written: string): void {
    const precededByPath = /[/\\]/.test(this.source.charAt(start - 1));
    if (!isBareDomain(written, precededByPath)) return;
    const value = written.toLowerCase();
    this.emit('domain', value, value, start, start + written.length);
  }

  /**
   * A quoted path or key whose last name holds spaces (`"HKCU\…\Run\Windows Update"`, `"C:\Users\bob\My Files"`)
   * runs to the closing quote, when the pattern stopped at a space and the last name has no extension (so a quoted
   * command line, `"C:\a.bat arg"`, still stops at the file).
   */
  private extendToClosingQuote(start: number, length: number): number {
    const quote = this.source.charAt(start - 1);
    const end = start + length;
    if ((quote !== '"' && quote !== "'") || this.source.charAt(end) !== ' ') return length;
    if (/\.[a-z][a-z0-9]{0,4}$/i.test(this.source.slice(start, end))) return length;
    const close = this.source.indexOf(quote, end);
    if (close === -1 || close - end > MAX_QUOTED_EXTENSION) return length;
    return /^[^\\\r\n<>|"'*?]*$/.test(this.source.slice(end, close)) ? close - start : length;
  }
}

/**
 * A path written with every backslash doubled (`C:\\Windows\\x.exe`, `\\\\host\\share`), as JSON and log text
 * escapes it, is the same path as the single-backslash one.
 */
function unescapeBackslashes(path: string): string {
  const runs = path.match(/\\+/g) ?? [];
  if (runs.length === 0 || runs.some((run) => run.length % 2 === 1)) return path;
  return path.replace(/\\\\/g, '\\');
}
