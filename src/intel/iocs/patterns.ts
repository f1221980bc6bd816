/**
 * The one scan pattern IOC extraction runs over refanged text. Alternatives are tried in priority order at each
 * position, and whichever matches owns its span: a URL owns its host, path and query; an e-mail address owns its
 * domain; a file path or registry key owns the names inside it (`C:\sites\evil.com\x` is a path, not a domain).
 * Every alternative starts with a lookbehind that stops it from starting inside a longer word, number or dotted
 * run, which is what keeps precision (no `b.com` out of `a.b.com.exe`, no hash out of a 128-digit hex run) and
 * keeps the scan linear on hostile input. What the regex cannot decide (TLDs, octets of an IPv6 address, version
 * strings) is checked in code (validate.ts).
 */

const LETTER_OR_DIGIT = '\\p{L}\\p{N}';
const LABEL = `[${LETTER_OR_DIGIT}](?:[${LETTER_OR_DIGIT}-]{0,61}[${LETTER_OR_DIGIT}])?`;
const TLD = '(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})';
export const HOST_NAME = `(?:${LABEL}\\.)+${TLD}`;
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const HYPHEN = '[-\u2010\u2011\u2012\u2013\u2014]';

/** Schemes whose URLs are indicators: web, file transfer, the JNDI lookups of Log4Shell, SMB, mining pools. */
const URL_SCHEMES = 'https?|ftps?|sftp|wss?|ldaps?|rmi|smb|tcp|udp|stratum\\+(?:tcp|ssl)';
/**
 * A URL runs to whitespace, a quote, an angle bracket or a backslash; square brackets only around an IPv6 host.
 * Trailing sentence punctuation and unbalanced closing brackets are cut in code.
 */
const URL = `(?<![${LETTER_OR_DIGIT}_])(?:${URL_SCHEMES}):\\/\\/(?:[^\\s<>"'\`{}|\\\\^\\[\\]/@]*@)?(?:\\[[0-9a-f:.]+(?:%[\\w.]+)?\\])?[^\\s<>"'\`{}|\\\\^\\[\\]]*`;

const EMAIL_LOCAL = '[\\p{L}\\p{N}_%+=-][\\p{L}\\p{N}_.%+=-]*';
const EMAIL = `(?<![${LETTER_OR_DIGIT}_.%+=-])${EMAIL_LOCAL}@${HOST_NAME}(?![${LETTER_OR_DIGIT}_-]|\\.[${LETTER_OR_DIGIT}])`;

/**
 * A word after a space inside a path or key name: a plain name, never a switch (`/v`, `-Force`) or a `key:` or
 * `key=value` field (`C:\x /v Run /d C:\y`, `…\ImagePath Details: %SystemRoot%\x`).
 */
const NAME_WORD = `[${LETTER_OR_DIGIT}(\\[{][${LETTER_OR_DIGIT}_.()\\[\\]{}&+#~!-]*`;

/** A path or key segment: names may hold spaces (`Program Files`, `Windows NT`) only when a separator follows. */
function segments(characters: string): string {
  const word = `${characters}+`;
  return `(?:\\\\{1,2}(?:${word}(?: ${NAME_WORD}){1,4}(?=\\\\)|${word}))`;
}

/** Words that join prose, which a file name with spaces ("New Text Document.txt") does not start a word with. */
const PROSE_JOINERS =
  'and|or|to|then|with|via|by|from|in|on|at|as|is|was|were|the|a|an|for|of|into|using|ran|run|runs|' +
  'executed|launched|opened|dropped|copied|loaded|wrote|created|deleted|started|spawned';

/**
 * The last segment of a Windows path may hold up to two spaces when it ends in an extension and its first word
 * does not (`New Text Document.txt`, `My Report.docx`), so "C:\a\invoice.pdf was opened by x.exe" stops at
 * `invoice.pdf`. The words after a space are plain names: no `=`, `:` or `%` (key=value logs), not a switch
 * (`-Force`, `/c`) and not a joining word of prose ("C:\Temp and run.exe", "…\Desktop then ran x.exe").
 */
function lastSegmentWithSpaces(characters: string): string {
  const word = `${characters}+`;
  const plainWord = `(?!(?:${PROSE_JOINERS})\\s)${NAME_WORD}`;
  const extension = '\\.[a-z][a-z0-9]{0,4}';
  const end = '(?=[\\s"\'<>|,;)\\]]|$)';
  return `(?:\\\\{1,2}(?![^\\s\\\\]*${extension}${end})${word}(?: ${plainWord}){1,2}?(?<=${extension})${end})`;
}

const REGISTRY_CHARACTERS = '[^\\s\\\\"<>|\'`,;]';
const REGISTRY_ROOT =
  'HKEY_(?:LOCAL_MACHINE|CURRENT_USER|CLASSES_ROOT|USERS|CURRENT_CONFIG)|HK(?:LM|CU|CR|U|CC)|\\\\REGISTRY\\\\(?:MACHINE|USER)';
const REGISTRY = `(?<![${LETTER_OR_DIGIT}_\\\\])(?:${REGISTRY_ROOT}):?${segments(REGISTRY_CHARACTERS)}+`;

/** Characters Windows allows in a file name, less the ones that delimit paths in prose and command lines. */
const WINDOWS_CHARACTERS = '[^\\s\\\\/:*?"<>|,;\'`]';
const WINDOWS_ROOT = [
  '[a-z]:',
  '%[a-z_][a-z0-9_()]*%',
  '\\$env:[a-z_][a-z0-9_]*',
  '\\\\\\\\[?.]\\\\[a-z]:',
  '\\\\\\?\\?\\\\[a-z]:',
  '\\\\(?:Device|SystemRoot)(?=\\\\)',
  // UNC: \\host\share, or \\\\host\\share as it reads in escaped text; \\.\pipe\name for named pipes.
  `\\\\\\\\(?:\\\\\\\\)?[${LETTER_OR_DIGIT}_.$-]+(?:@(?:SSL|\\d+))*`,
].join('|');
const WINDOWS_PATH =
  `(?<![${LETTER_OR_DIGIT}_\\\\])(?:${WINDOWS_ROOT})` +
  `(?:${segments(WINDOWS_CHARACTERS)}*${lastSegmentWithSpaces(WINDOWS_CHARACTERS)}|${segments(WINDOWS_CHARACTERS)}+)`;

/**
 * Absolute Unix paths under the standard top-level directories (Linux and macOS) or the home directory. Other
 * slash-separated text (`/api/v1/users`, `and/or`, `TCP/IP`, `/c` switches, dates) is not a file path.
 */
const UNIX_ROOTS =
  'tmp|etc|var|usr|bin|sbin|home|root|opt|dev|proc|sys|lib|lib32|lib64|boot|mnt|media|srv|run|snap|' +
  'Users|Library|Applications|System|private|Volumes|Network|cores';
const UNIX_PATH = `(?<![${LETTER_OR_DIGIT}_/~-])(?:~|\\/(?:${UNIX_ROOTS}))(?:\\/[${LETTER_OR_DIGIT}_.~+@%=$#,-]+)+\\/?`;

const CVE = `(?<![${LETTER_OR_DIGIT}_])CVE${HYPHEN}(?:199|20\\d)\\d${HYPHEN}\\d{4,7}(?!\\p{N})`;
/** Enterprise and Mobile techniques are T1001–T1699, ICS techniques T0800–T0899; sub-techniques .001–.099. */
const TECHNIQUE = `(?<![${LETTER_OR_DIGIT}_])T(?:0[89]\\d\\d|1[0-6]\\d\\d)(?:[./_-]0\\d\\d)?(?![${LETTER_OR_DIGIT}_]|[./_-]?\\p{N})`;

/** Not inside a longer hex-and-colon run, except after `IPv6:` (the address literal of Received headers). */
const IPV6 =
  `(?<![${LETTER_OR_DIGIT}_.])(?<!(?<!IPv6):)(?=[0-9a-f]{0,4}:[0-9a-f]{0,4}:)[0-9a-f:]{2,39}(?:(?<=:)${IPV4})?` +
  `(?:%[${LETTER_OR_DIGIT}_.]+)?(?:\\/\\d{1,3}(?!\\d))?(?![${LETTER_OR_DIGIT}_]|\\.\\p{N})`;
const IPV4_OR_CIDR = `(?<![${LETTER_OR_DIGIT}_.])${IPV4}(?:\\/(?:3[0-2]|[12]?\\d)(?!\\d))?(?![${LETTER_OR_DIGIT}_]|\\.\\p{N})`;

/** Exactly 32, 40 or 64 hex digits with no letter or digit on either side: never a slice of a longer run. */
const HASH = `(?<![${LETTER_OR_DIGIT}])(?:[0-9a-f]{64}|[0-9a-f]{40}|[0-9a-f]{32})(?![${LETTER_OR_DIGIT}])`;

/** `*.evil.com` (a certificate or block-list wildcard) yields evil.com; any other dot before a name blocks it. */
const DOMAIN = `(?<![${LETTER_OR_DIGIT}_-])(?<![^*]\\.)${HOST_NAME}(?![${LETTER_OR_DIGIT}_-]|\\.[${LETTER_OR_DIGIT}]|@|:\\/\\/)`;

/** The alternatives in priority order; each is capture group n + 1 of the pattern, which dispatches on it. */
const ALTERNATIVES = [
  ['url', URL],
  ['email', EMAIL],
  ['registry', REGISTRY],
  ['windowsPath', WINDOWS_PATH],
  ['unixPath', UNIX_PATH],
  ['cve', CVE],
  ['technique', TECHNIQUE],
  ['ipv6', IPV6],
  ['ipv4', IPV4_OR_CIDR],
  ['hash', HASH],
  ['domain', DOMAIN],
] as const;

export type MatchKind = (typeof ALTERNATIVES)[number][0];
export const MATCH_KINDS: readonly MatchKind[] = ALTERNATIVES.map(([kind]) => kind);

/**
 * Every alternative refuses to start right after a letter or digit, so that check is made once, up front: inside a
 * word the scan moves on after one lookbehind instead of trying eleven alternatives. Plain numbered groups, not
 * named ones: a match then costs no `groups` object, which shows on megabytes of logs.
 */
export const IOC_PATTERN = new RegExp(
  `(?<![${LETTER_OR_DIGIT}])(?:${ALTERNATIVES.map(([, source]) => `(${source})`).join('|')})`,
  'giu',
);

/** A URL start inside a URL's path or query (open redirects carry a second URL). */
export const NESTED_URL_START = new RegExp(`(?<![${LETTER_OR_DIGIT}_])(?:${URL_SCHEMES}):\\/\\/`, 'giu');

export const WHOLE_HOST_NAME = new RegExp(`^${HOST_NAME}$`, 'iu');
export const WHOLE_IPV4 = new RegExp(`^${IPV4}$`);
