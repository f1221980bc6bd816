import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The IOC extraction section of `npm run bench`: throughput of our extractor (dist/intel/iocs) against
 * ioc-extractor on the same ~5 MB of generated text, and precision/recall of both on the labelled corpus
 * (test/fixtures/iocs/corpus.jsonl), so "faster and more precise" is measured, not claimed.
 *
 * The text is generated from a fixed seed: threat-report prose, log lines, command lines and e-mail headers, with
 * indicators fanged and defanged in the styles the extractor refangs, plus the traps (file names, versions, code)
 * that cost precision. ioc-extractor runs with `refang: true` (its own refanging) and otherwise its defaults.
 *
 * Settings (environment): BENCH_IOC_MEGABYTES (5), BENCH_IOC_ROUNDS (5, alternating, the median is reported).
 * Runs alone with `node bench/iocs.mjs` or `npm run bench -- --only iocs`.
 */

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const resultsFile = fileURLToPath(new URL('./results/iocs-latest.json', import.meta.url));
const corpusFile = `${root}test/fixtures/iocs/corpus.jsonl`;

/** The types both extractors report, and how ioc-extractor names them. */
const sharedTypes = {
  ipv4: 'ipv4s',
  ipv6: 'ipv6s',
  domain: 'domains',
  url: 'urls',
  email: 'emails',
  md5: 'md5s',
  sha1: 'sha1s',
  sha256: 'sha256s',
  cve: 'cves',
};

/** mulberry32: small, fast and the same on every machine, so every run scans the same text. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(random) {
  const pick = (items) => items[Math.floor(random() * items.length)];
  const integer = (low, high) => low + Math.floor(random() * (high - low + 1));
  const hex = (length) => Array.from({ length }, () => '0123456789abcdef'[integer(0, 15)]).join('');
  const word = () => pick(['update', 'secure', 'login', 'cdn', 'mail', 'files', 'sync', 'drive', 'portal', 'auth']);
  const tld = () => pick(['com', 'net', 'org', 'ru', 'xyz', 'top', 'info', 'io', 'cc', 'shop', 'co.uk', 'de']);
  const domain = () =>
    `${pick(['', `${word()}.`, 'www.'])}${word()}-${pick(['svc', 'app', 'cloud', 'box'])}${integer(1, 99)}.${tld()}`;
  const ipv4 = () => `${integer(1, 223)}.${integer(0, 255)}.${integer(0, 255)}.${integer(1, 254)}`;
  const ipv6 = () => `2001:${hex(4)}:${hex(3)}::${hex(2)}`;
  const path = () =>
    `/${word()}/${pick(['gate.php', 'a.js', 'x.bin', 'index.html', 'login'])}${pick(['', `?id=${integer(1, 999)}`])}`;
  const url = () => `${pick(['http', 'https'])}://${pick([domain(), ipv4()])}${path()}`;
  const email = () => `${pick(['billing', 'hr', 'it-support', 'j.doe', 'ceo'])}@${domain()}`;
  const dotStyles = ['[.]', '(.)', '[dot]', '{.}', '.'];
  const defangHost = (host) => host.split('.').join(pick(dotStyles));
  const styled = {
    domain: () => (random() < 0.5 ? domain() : defangHost(domain())),
    ipv4: () => {
      const address = ipv4();
      return random() < 0.5 ? address : address.replace(/\.(\d+)$/, '[.]$1');
    },
    url: () => {
      const value = url();
      if (random() < 0.4) return value;
      const [scheme, rest] = value.split('://');
      const hostEnd = rest.indexOf('/');
      const defangedScheme = pick(['hxxp', 'hXXp', `${scheme}[:]`, 'hxxps']);
      return `${defangedScheme}${defangedScheme.endsWith(']') ? '//' : '://'}${defangHost(rest.slice(0, hostEnd))}${rest.slice(hostEnd)}`;
    },
    email: () =>
      random() < 0.5
        ? email()
        : email()
            .replace('@', pick(['[@]', '[at]', '(at)']))
            .replace(/\.(\w+)$/, '[.]$1'),
  };
  const hash = () => hex(pick([32, 40, 64]));
  const windowsPath = () =>
    `C:\\${pick(['Users\\bob\\AppData\\Local\\Temp', 'ProgramData', 'Windows\\Temp'])}\\${word()}.${pick(['exe', 'dll', 'ps1'])}`;
  const trap = () =>
    pick([
      'invoice.pdf',
      'setup.py',
      'version 10.0.19041.1',
      'build 1.0.0.0',
      'System.Net.WebClient',
      'user.name',
      'powershell.exe -nop -w hidden',
      'Chrome/120.0.0.0',
      'backup.2024.zip',
      '12:30:45',
    ]);
  const templates = [
    () => `The loader contacted ${styled.ipv4()} and resolved ${styled.domain()} before downloading ${styled.url()}.`,
    () =>
      `Phishing e-mail from ${styled.email()} linked to ${styled.url()}; the attachment ${trap()} had SHA256 ${hex(64)}.`,
    () =>
      `${integer(1, 28)} Oct 2024 13:${integer(10, 59)}:${integer(10, 59)} web01 sshd[${integer(100, 9999)}]: Failed password for root from ${ipv4()} port ${integer(1024, 65535)} ssh2`,
    () =>
      `${ipv4()} - - [10/Oct/2024:13:55:36 +0000] "GET ${path()} HTTP/1.1" 200 ${integer(100, 9999)} "-" "Mozilla/5.0 Chrome/120.0.0.0"`,
    () =>
      `Process Create: Image: ${windowsPath()} CommandLine: ${trap()} Hashes: MD5=${hex(32).toUpperCase()},SHA256=${hex(64).toUpperCase()}`,
    () =>
      `Network connection: SourceIp: 10.0.${integer(0, 255)}.${integer(1, 254)} DestinationIp: ${ipv4()} DestinationHostname: ${domain()} DestinationPort: 443`,
    () => `certutil.exe -urlcache -split -f ${url()} ${windowsPath()}`,
    () => `Received: from mail.${domain()} (mail.${domain()} [${ipv4()}]) by mx.contoso.com; ${trap()}`,
    () =>
      `Exploitation of CVE-20${integer(17, 24)}-${integer(1000, 49999)} (T1190) was followed by T1059.00${integer(1, 9)} from ${ipv6()}.`,
    () =>
      `Persistence under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run pointing to ${windowsPath()} (${hash()}).`,
    () =>
      `The analyst reviewed the ${trap()} timeline, confirmed ${integer(2, 40)} affected hosts and closed the incident as a true positive.`,
    () =>
      `Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.`,
  ];
  return () => pick(templates)();
}

/** About `megabytes` MB of mixed text, the same for the same seed. */
export function generateMixedText(megabytes, seed = 20241010) {
  const nextLine = generator(seededRandom(seed));
  const lines = [];
  let length = 0;
  while (length < megabytes * 1_000_000) {
    const line = nextLine();
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

function countValues(lists) {
  return Object.values(lists).reduce((sum, values) => sum + values.length, 0);
}

function readCorpus() {
  return readFileSync(corpusFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

function fromIocExtractor(result) {
  return Object.fromEntries(Object.entries(sharedTypes).map(([ours, theirs]) => [ours, result[theirs] ?? []]));
}

export async function runIocBenchmark({ log = console.log } = {}) {
  const { extractIocs, toPlainLists } = require(`${root}dist/intel/iocs/index.js`);
  const { scoreCorpus, formatScoreTable } = require(`${root}dist/intel/iocs/evaluation.js`);
  const { extractIOC } = await import('ioc-extractor');
  // The package's exports map hides package.json, so its version is read from the file.
  const iocExtractorVersion = JSON.parse(
    readFileSync(`${root}node_modules/ioc-extractor/package.json`, 'utf8'),
  ).version;
  const megabytes = Number(process.env.BENCH_IOC_MEGABYTES ?? 5);
  const rounds = Math.max(1, Math.round(Number(process.env.BENCH_IOC_ROUNDS ?? 5)));

  const text = generateMixedText(megabytes);
  const sizeMb = Buffer.byteLength(text) / 1_000_000;
  const contenders = [
    { name: 'soc-copilot', extract: () => toPlainLists(extractIocs(text)), times: [] },
    { name: `ioc-extractor ${iocExtractorVersion}`, extract: () => extractIOC(text, { refang: true }), times: [] },
  ];
  // One untimed pass each compiles the regular expressions and warms the JIT; then the two alternate.
  for (const contender of contenders) contender.found = countValues(contender.extract());
  for (let round = 0; round < rounds; round += 1) {
    for (const contender of round % 2 === 0 ? contenders : [...contenders].reverse()) {
      const started = performance.now();
      contender.extract();
      contender.times.push(performance.now() - started);
    }
  }
  const throughput = contenders.map((contender) => ({
    name: contender.name,
    medianMs: median(contender.times),
    megabytesPerSecond: sizeMb / (median(contender.times) / 1000),
    indicatorsFound: contender.found,
  }));
  const throughputRatio = throughput[0].megabytesPerSecond / throughput[1].megabytesPerSecond;

  const corpus = readCorpus();
  const shared = Object.keys(sharedTypes);
  const ours = scoreCorpus(corpus, (input) => toPlainLists(extractIocs(input)));
  const oursShared = scoreCorpus(corpus, (input) => toPlainLists(extractIocs(input)), shared);
  const theirs = scoreCorpus(corpus, (input) => fromIocExtractor(extractIOC(input, { refang: true })), shared);

  log('');
  log(`iocs: ${sizeMb.toFixed(2)} MB of generated text (seeded), median of ${rounds} alternating rounds`);
  for (const entry of throughput) {
    log(
      `  ${entry.name.padEnd(22)} ${entry.megabytesPerSecond.toFixed(1).padStart(6)} MB/s  ` +
        `(${entry.medianMs.toFixed(0)} ms, ${entry.indicatorsFound} indicators)`,
    );
  }
  log(`iocs: labelled corpus, ${corpus.length} cases (${corpusFile.slice(root.length)})`);
  log('  soc-copilot, every type:');
  log(indent(formatScoreTable([...ours.perType, ours.overall].map((score) => ({ label: score.type, score })))));
  log(`  on the types both extract (${shared.join(', ')}):`);
  const byType = (result) => Object.fromEntries(result.perType.map((score) => [score.type, score]));
  const oursByType = byType(oursShared);
  const theirsByType = byType(theirs);
  log(
    indent(
      formatScoreTable(
        [...shared, 'overall'].flatMap((type) => [
          { label: `${type} soc-copilot`, score: type === 'overall' ? oursShared.overall : oursByType[type] },
          { label: `${type} ioc-extractor`, score: type === 'overall' ? theirs.overall : theirsByType[type] },
        ]),
      ),
    ),
  );
  const fasterMet = throughputRatio >= 1;
  const preciserMet = oursShared.overall.precision > theirs.overall.precision;
  log(
    `target: throughput ≥ 1 × ioc-extractor — ${fasterMet ? 'MET' : 'NOT MET'} (${throughputRatio.toFixed(2)} ×); ` +
      `higher precision on shared types — ${preciserMet ? 'MET' : 'NOT MET'} ` +
      `(${oursShared.overall.precision.toFixed(3)} vs ${theirs.overall.precision.toFixed(3)})`,
  );

  const results = {
    finishedAt: new Date().toISOString(),
    node: process.version,
    text: { megabytes: sizeMb, rounds },
    throughput,
    throughputRatio,
    corpus: { cases: corpus.length, ours: ours.overall, oursShared: oursShared.overall, iocExtractor: theirs.overall },
    perType: { ours: ours.perType, oursShared: oursShared.perType, iocExtractor: theirs.perType },
    targets: { throughputAtLeastIocExtractor: fasterMet, higherPrecisionThanIocExtractor: preciserMet },
  };
  mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  log(`results: ${resultsFile}`);
  return results;
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runIocBenchmark().catch((error) => {
    console.error(`bench iocs: ${error.stack ?? error}`);
    process.exitCode = 1;
  });
}
