/**
 * Removes secrets from free text before it is kept anywhere (the audit trail, saved hunts) or sent to the model
 * (src/llm/redacting-client.ts). Extends the token patterns of scrubServiceMessage (src/http/source-error.ts) with
 * what analysts paste: passwords on command lines, API keys, bearer tokens and JWTs, storage connection strings and
 * SAS signatures, PEM private keys.
 * Over-redaction is preferred to a leak: a redacted value is replaced by "[redacted]", its name is kept.
 */
const replacements: [RegExp, string][] = [
  // PEM blocks (private keys, certificates with keys), whole.
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, '[redacted private key]'],
  // JWTs anywhere (access tokens, id tokens).
  [/eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, '[token]'],
  // Authorization headers.
  [/\b(bearer|basic)\s+[\w.~+/=-]{8,}/gi, '$1 [token]'],
  // Connection strings: AccountKey=…, SharedAccessKey=…, Password=… (and Pwd=) inside ;-separated settings.
  [
    /\b(AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|ClientSecret|Secret)\s*=\s*("[^"]*"|'[^']*'|[^;\s"']+)/gi,
    '$1=[redacted]',
  ],
  // URL query secrets (SAS sig, access tokens, API keys).
  [
    /([?&](?:sig|signature|code|access_token|api[_-]?key|apikey|key|token|secret|client_secret|password)=)[^&\s"'#]+/gi,
    '$1[redacted]',
  ],
  // user:password@ in URLs.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi, '$1:[redacted]@'],
  // Command-line passwords: -p secret, --password secret, /p:secret, -Password 'secret', password=secret.
  [
    /((?:^|[\s"'(])(?:--?|\/)(?:p|pw|pwd|pass|passwd|password|secret|token|apikey|api-key|key)(?:[:=]|\s+))("[^"]*"|'[^']*'|\S+)/gi,
    '$1[redacted]',
  ],
  [
    /\b((?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?key|client[_-]?secret|token)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&"'}]+)/gi,
    '$1[redacted]',
  ],
  [/(ConvertTo-SecureString\s+(?:-String\s+)?)("[^"]*"|'[^']*'|\S+)/gi, '$1[redacted]'],
  // Prose: "with password Winter2026!x", "the password is Hunter2x". Only a token that looks like a password
  // (8+ characters with a letter and a digit) goes, so "password spray" or "password reset" stay readable.
  [/\b(password|passwd|passphrase|pwd)(\s+(?:is\s+|was\s+)?)(?=\S*\d)(?=\S*[A-Za-z])(\S{8,})/gi, '$1$2[redacted]'],
  // Well-known key shapes without a name in front of them.
  [/\bsk-[A-Za-z0-9_-]{16,}\b/g, '[redacted key]'],
  [/\bAKIA[0-9A-Z]{16}\b/g, '[redacted key]'],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, '[redacted key]'],
  [/\bxox[abpr]-[A-Za-z0-9-]{10,}\b/g, '[redacted key]'],
  // Long base64 runs of 40+ characters ending in = (account keys, client secrets pasted bare).
  [/\b[A-Za-z0-9+/]{40,}={1,2}/g, '[redacted key]'],
];

export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of replacements) result = result.replace(pattern, replacement);
  return result;
}

/** Applies `redactSecrets` to every string in a JSON-like value (keys are kept), returning a copy. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item)])) as T;
  }
  return value;
}
