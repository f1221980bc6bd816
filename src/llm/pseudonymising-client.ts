import { randomBytes } from 'node:crypto';
import type { LlmClient, LlmMessage, StructuredRequest, StructuredResponse } from './port';
import { LlmClientDecorator } from './decorator';

/**
 * Pseudonymisation of people and machines in prompts (issue 10, item 4; `LLM_PSEUDONYMIZE=true`).
 *
 * Every user name, e-mail address and host name found in the outgoing messages is replaced by a stable token
 * for the request (`USER_1`, `HOST_2`), the system prompt says the tokens are pseudonyms, and the tokens in the
 * model's answer are turned back into the real names before any capability sees it. The model therefore reasons
 * about "USER_1 signed in from 203.0.113.7 and ran encoded PowerShell on HOST_1" and the analyst reads the real
 * names; the provider's logs hold neither. Indicators (IPs, URLs, hashes, domains of external hosts) are left as
 * they are: they are the evidence, and they do not identify a person.
 *
 * What counts as a name: the values of account, mailbox and host entities and of the JSON fields the sources use
 * for people and machines (userPrincipalName, deviceName, Computer, …) in any message, e-mail addresses and
 * DOMAIN\account pairs anywhere (the analyst's own question included), and the bare parts of those (the local part
 * of a UPN in "C:\Users\jdoe", the short name of a host's FQDN) once their full form is known. Each distinct name
 * gets its own token, so restoring is exact. Matching is case-insensitive (Windows names are).
 */

type Kind = 'USER' | 'HOST';

/** Entity types whose value names a person or a machine (src/sources/model.ts). */
const entityKinds: Record<string, Kind> = { account: 'USER', mailbox: 'USER', host: 'HOST' };

/** JSON fields that hold a person's or a machine's name in our prompts and in source payloads. */
const fieldKinds: Record<string, Kind> = {
  userprincipalname: 'USER',
  upn: 'USER',
  account: 'USER',
  accountname: 'USER',
  loggedonusers: 'USER',
  accountupn: 'USER',
  username: 'USER',
  user: 'USER',
  userdisplayname: 'USER',
  accountdisplayname: 'USER',
  mailboxprimaryaddress: 'USER',
  recipientemailaddress: 'USER',
  initiatingprocessaccountname: 'USER',
  initiatingprocessaccountupn: 'USER',
  targetusername: 'USER',
  subjectusername: 'USER',
  manager: 'USER',
  hostname: 'HOST',
  devicename: 'HOST',
  computer: 'HOST',
  computername: 'HOST',
  machinename: 'HOST',
  dnsname: 'HOST',
  fqdn: 'HOST',
  netbiosname: 'HOST',
  workstation: 'HOST',
  workstationname: 'HOST',
};

const jsonString = '"((?:[^"\\\\]|\\\\.)*)"';
/** `"key": "value"` in JSON text (compact or indented). */
const keyValue = new RegExp(`"([A-Za-z][A-Za-z0-9_]{0,40})"\\s*:\\s*${jsonString}`, 'g');
/** An entity as the prompts write it: `"type": "account", "value": "…"`. */
const entityValue = new RegExp(`"type"\\s*:\\s*"(account|mailbox|host)"\\s*,\\s*"value"\\s*:\\s*${jsonString}`, 'g');
/** An account or mailbox entity with its properties, whose displayName is then a person's name. */
const personEntity = /"type"\s*:\s*"(?:account|mailbox)"[^{}]*"properties"\s*:\s*\{[^{}]*\}/g;
const displayName = new RegExp(`"displayName"\\s*:\\s*${jsonString}`);
const emailAddress = /[A-Za-z0-9][A-Za-z0-9._%+'-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}/g;
/**
 * NetBIOS domain and account: CONTOSO\jdoe (a JSON string writes the backslash doubled). Not a path: nothing
 * path-like before the domain (C:\ProgramData\ms.dmp) and no backslash after the account (CONTOSO\Users\…).
 */
const domainAccount = /(?<![\\:/.\w-])([A-Za-z][A-Za-z0-9-]{1,14})\\{1,2}([A-Za-z0-9][A-Za-z0-9._$-]{1,63})\b(?!\\)/g;

/** Values that are not names even when a name field holds them. */
const notANameValue = /^(?:n\/a|na|none|null|unknown|system|local ?system|network service|local service|-|\d+)$/i;
/** Built-in account names: they name no person, and replacing the word everywhere would only confuse the model. */
const genericAccount = /^(?:admin|administrator|root|guest|user|users|test|service|system|default|public)$/i;
/** A GUID or SID identifies an object but names nobody; it stays (ids are what the analyst pivots on). */
const identifierValue = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|S-1-[\d-]+)$/i;

function unescapeJson(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The pseudonyms of one request: name → token and back. */
export class PseudonymTable {
  private readonly tokens = new Map<string, string>();
  private readonly names = new Map<string, string>();
  private readonly counters: Record<Kind, number> = { USER: 0, HOST: 0 };

  /** `prefix` makes tokens that cannot already be in the text (see `forMessages`). */
  constructor(private readonly prefix = '') {}

  get size(): number {
    return this.tokens.size;
  }

  /** Adds a name (and its bare parts); blanks, placeholders and ids are ignored. */
  add(kind: Kind, rawName: string): void {
    const name = rawName.trim();
    if (name.length < 2 || name.length > 256 || notANameValue.test(name) || identifierValue.test(name)) return;
    this.addOne(kind, name);
    if (kind === 'USER') {
      const at = name.indexOf('@');
      if (at > 2) this.addOne('USER', name.slice(0, at));
      const slash = name.indexOf('\\');
      if (slash > 0 && slash < name.length - 3) this.addOne('USER', name.slice(slash + 1).replace(/^\\/, ''));
    } else {
      const dot = name.indexOf('.');
      // An FQDN's short name, unless the whole thing is an IP address.
      if (dot > 2 && !/^\d+(?:\.\d+){3}$/.test(name)) this.addOne('HOST', name.slice(0, dot));
    }
  }

  private addOne(kind: Kind, name: string): void {
    const key = name.toLowerCase();
    if (this.tokens.has(key) || name.length < 3 || genericAccount.test(name)) return;
    this.counters[kind] += 1;
    const token = `${kind}_${this.prefix}${this.counters[kind]}`;
    this.tokens.set(key, token);
    // Prompts carry JSON, where CONTOSO\jdoe is written with the backslash doubled.
    if (key.includes('\\')) this.tokens.set(key.replace(/\\/g, '\\\\'), token);
    this.names.set(token.toLowerCase(), name);
  }

  /** Replaces every known name in `text` by its token, longest names first (a UPN before its local part). */
  pseudonymise(text: string): string {
    if (this.tokens.size === 0) return text;
    const alternatives = [...this.tokens.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    // Not inside a longer word: "jdoe" is not replaced in "jdoesmith", nor "ws01" in "ws01b".
    const pattern = new RegExp(`(?<![A-Za-z0-9_])(?:${alternatives.join('|')})(?![A-Za-z0-9_])`, 'gi');
    return text.replace(pattern, (match) => this.tokens.get(match.toLowerCase()) ?? match);
  }

  /** Turns tokens in `text` back into the names they stand for; text without tokens is returned as is. */
  restore(text: string): string {
    if (this.names.size === 0) return text;
    return text.replace(
      new RegExp(`\\b(?:USER|HOST)_${escapeRegExp(this.prefix)}\\d+\\b`, 'gi'),
      (token) => this.names.get(token.toLowerCase()) ?? token,
    );
  }

  /** Restores every string in a structured answer (keys included: some answers map entities to verdicts). */
  restoreDeep<T>(value: T): T {
    const walk = (item: unknown): unknown => {
      if (typeof item === 'string') return this.restore(item);
      if (Array.isArray(item)) return item.map(walk);
      if (item !== null && typeof item === 'object') {
        return Object.fromEntries(Object.entries(item).map(([key, inner]) => [this.restore(key), walk(inner)]));
      }
      return item;
    };
    return walk(value) as T;
  }

  /** The names found in `messages`, with tokens that none of the messages contains already. */
  static forMessages(messages: LlmMessage[]): PseudonymTable {
    const all = messages.map((message) => message.content).join('\n');
    const prefix = /\b(?:USER|HOST)_\d+\b/i.test(all) ? `${randomBytes(2).toString('hex').toUpperCase()}_` : '';
    const table = new PseudonymTable(prefix);
    for (const match of all.matchAll(entityValue)) table.add(entityKinds[match[1]], unescapeJson(match[2]));
    for (const match of all.matchAll(keyValue)) {
      const kind = fieldKinds[match[1].toLowerCase()];
      if (kind !== undefined) table.add(kind, unescapeJson(match[2]));
    }
    for (const match of all.matchAll(personEntity)) {
      const name = displayName.exec(match[0]);
      if (name) table.add('USER', unescapeJson(name[1]));
    }
    for (const match of all.matchAll(emailAddress)) table.add('USER', match[0]);
    for (const match of all.matchAll(domainAccount)) {
      // Registry paths look alike (HKLM\Software), and NT AUTHORITY\SYSTEM or BUILTIN\Administrators name nobody.
      if (/^(?:hklm|hkcu|hku|hkcr|hkey_[a-z_]+|authority|builtin|system32|windows)$/i.test(match[1])) continue;
      if (notANameValue.test(match[2]) || genericAccount.test(match[2])) continue;
      table.add('USER', `${match[1]}\\${match[2]}`);
    }
    return table;
  }
}

export const pseudonymRule =
  'Names like USER_1 and HOST_1 are pseudonyms for real users and machines. Use them exactly as written when ' +
  'you refer to those users and machines; never guess the real names.';

/**
 * Wraps the LLM port: the model sees pseudonyms, the caller gets the real names back. It goes outside the
 * secret redaction (both apply to every prompt) and inside the limits.
 */
export class PseudonymisingLlmClient extends LlmClientDecorator {
  constructor(inner: LlmClient) {
    super(inner);
  }

  async generateStructured<T>(request: StructuredRequest<T>): Promise<StructuredResponse<T>> {
    const table = PseudonymTable.forMessages(request.messages);
    if (table.size === 0) return this.inner.generateStructured(request);
    const messages = request.messages.map((message) => ({
      ...message,
      content: table.pseudonymise(message.content),
    }));
    const systemIndex = messages.findIndex((message) => message.role === 'system');
    if (systemIndex >= 0) {
      messages[systemIndex] = {
        ...messages[systemIndex],
        content: `${messages[systemIndex].content}\n\n${pseudonymRule}`,
      };
    } else {
      messages.unshift({ role: 'system', content: pseudonymRule });
    }
    const response = await this.inner.generateStructured({ ...request, messages });
    const restored = table.restoreDeep(response.value);
    // A restored name can break a schema limit (a long UPN where a short token was); the pseudonymised answer is
    // still valid then, and the analyst can map it.
    const checked = request.schema.safeParse(restored);
    return { ...response, value: checked.success ? checked.data : response.value };
  }
}
