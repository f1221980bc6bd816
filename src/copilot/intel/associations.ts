import type { IntelAssociation } from './schema';

/** The part of ATT&CK's group and software index this capability needs (AttackKnowledge satisfies it). */
export interface AttackActors {
  group(idOrNameOrAlias: string): { id: string; name: string; aliases: string[] } | undefined;
  software(
    idOrNameOrAlias: string,
  ): { id: string; name: string; type: 'malware' | 'tool'; aliases: string[] } | undefined;
}

/**
 * ATT&CK names that are also everyday words or operating-system commands ("Play", "Royal", "ping", "net",
 * "certutil"). Written alone they say nothing about an actor; they count only when the text calls them one
 * ("Royal ransomware", "Play group").
 */
const ambiguousNames = new Set(
  [
    'agenda anchor apostle armageddon aurora avenger axiom cannon carbon chaos chimera cicada cleaver covenant',
    'crimson disco donut elfin embargo emissary empire equation expand explosive ferocious flame forfiles',
    'frankenstein gazer havoc honeybee inception james kevin leviathan machete mango mantis meteor milan mirage',
    'mosquito mythic ninja octopus pandora patchwork prestige proton reaper reaver responder rover royal samurai',
    'scorpion shark silence snake soldier solar spark spica strider trinity wiper page ping route play tick zinc',
    'photo viper elmer denis maze pony hive triton lucifer rattlesnake dragonfly phosphorus krypton',
    'ipconfig ifconfig netstat nbtstat schtasks certutil esentutl attrib dsquery netsh systeminfo tasklist',
    'wevtutil nltest whoami cmd net arp ftp reg tor ngrok at rclone sqlmap httpclient',
  ]
    .join(' ')
    .split(' '),
);
const actorWords =
  /^(?:ransomware|malware|group|team|gang|apt|actor|rat|backdoor|loader|trojan|botnet|stealer|implant)$/i;

const maximumWordsPerName = 4;
const maximumAssociations = 8;

interface Token {
  word: string;
  start: number;
}

function tokens(text: string): Token[] {
  const found: Token[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu)) {
    const word = match[0].replace(/[.'’-]+$/, '');
    if (word !== '') found.push({ word, start: match.index ?? 0 });
  }
  return found;
}

/** A single word must look like a name: long enough, or with a digit or capitals in it (APT29, TA505, RTM). */
function plausibleSingleWord(word: string, next: string | undefined): boolean {
  // "cmd.exe" and "certutil.exe" name the program, which ATT&CK also lists as software: judged by the base name.
  const key = word.toLowerCase().replace(/\.(?:exe|dll|sys|com|bat|cmd|ps1|vbs|js|msi)$/, '');
  if (ambiguousNames.has(key)) return next !== undefined && actorWords.test(next);
  if (/\d/.test(word) || (word.length >= 3 && word === word.toUpperCase())) return word.length >= 3;
  return word.length >= 5;
}

/**
 * Threat actors and software ATT&CK knows that the text names (by name or alias), and those the providers
 * associate with the indicators when ATT&CK knows them too. Nothing is inferred from techniques alone:
 * hundreds of groups use PowerShell, and naming one would be a guess.
 */
export function groundedAssociations(
  text: string,
  masked: Array<{ start: number; end: number }>,
  providerNames: Array<{ name: string; provider: string }>,
  actors: AttackActors,
): IntelAssociation[] {
  const visible = maskSpans(text, masked);
  const words = tokens(visible);
  const found = new Map<string, IntelAssociation>();
  const add = (association: IntelAssociation): void => {
    if (!found.has(association.id) && found.size < maximumAssociations) found.set(association.id, association);
  };

  for (let index = 0; index < words.length; index += 1) {
    // Longest name first, so "Cobalt Strike" wins over a shorter name inside it.
    for (let length = Math.min(maximumWordsPerName, words.length - index); length >= 1; length -= 1) {
      const phrase = words
        .slice(index, index + length)
        .map((token) => token.word)
        .join(' ');
      if (length === 1 && !plausibleSingleWord(phrase, words[index + 1]?.word)) continue;
      if (length > 1 && phrase.replace(/[^\p{L}\p{N}]/gu, '').length < 5) continue;
      const association = lookup(phrase, actors, `named in the text ("${phrase}")`);
      if (association !== undefined) {
        add(association);
        index += length - 1;
        break;
      }
    }
  }
  for (const { name, provider } of providerNames) {
    const association = lookup(name, actors, `${provider} associates an indicator with "${name}"`);
    if (association !== undefined) add(association);
  }
  return [...found.values()];
}

function lookup(name: string, actors: AttackActors, evidence: string): IntelAssociation | undefined {
  const group = actors.group(name);
  if (group !== undefined) {
    return { kind: 'group', id: group.id, name: group.name, aliases: group.aliases.slice(0, 6), evidence };
  }
  const software = actors.software(name);
  if (software !== undefined) {
    return {
      kind: 'software',
      id: software.id,
      name: software.name,
      aliases: software.aliases.filter((alias) => alias !== software.name).slice(0, 6),
      softwareType: software.type,
      evidence,
    };
  }
  return undefined;
}

/** The text with the given spans blanked out (lengths kept), so names inside indicators are not read as names. */
function maskSpans(text: string, spans: Array<{ start: number; end: number }>): string {
  if (spans.length === 0) return text;
  const characters = text.split('');
  for (const span of spans) {
    for (let index = Math.max(0, span.start); index < Math.min(text.length, span.end); index += 1) {
      characters[index] = ' ';
    }
  }
  return characters.join('');
}
