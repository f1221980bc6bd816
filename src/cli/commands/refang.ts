import { StringDecoder } from 'node:string_decoder';
import { defangText } from '../../intel/defang';
import { refang } from '../../intel/iocs';
import { exitCodes, type CliIo } from '../io';
import { openInput, parseCommandOptions, runReportingUsageErrors, singleSource } from './iocs';

export const refangUsage = `Usage: soc-copilot refang FILE|-

Rewrites defanged indicators back to their live form, line by line (hxxps://evil[.]com → https://evil.com,
1.2.3[.]4 → 1.2.3.4, user[at]example[dot]com → user@example.com). - reads standard input.
`;

export const defangUsage = `Usage: soc-copilot defang FILE|-

Defangs every URL, domain, IP address and e-mail address, line by line, in the SOC convention
(https://evil.com/x → hxxps://evil[.]com/x, 1.2.3.4 → 1.2.3[.]4, user@example.com → user[@]example[.]com).
- reads standard input.
`;

/** `soc-copilot refang FILE|-`. Exit codes: 0 done, 2 bad usage or an unreadable file. */
export function refangCommand(argv: string[], io: CliIo): Promise<number> {
  return transformCommand(argv, io, { name: 'refang', usage: refangUsage, transform: refang });
}

/** `soc-copilot defang FILE|-`. Exit codes: 0 done, 2 bad usage or an unreadable file. */
export function defangCommand(argv: string[], io: CliIo): Promise<number> {
  return transformCommand(argv, io, { name: 'defang', usage: defangUsage, transform: defangText });
}

interface LineTransform {
  name: string;
  usage: string;
  transform: (line: string) => string;
}

function transformCommand(argv: string[], io: CliIo, command: LineTransform): Promise<number> {
  return runReportingUsageErrors(io, command.usage, async () => {
    const { values, positionals } = parseCommandOptions(argv, {});
    if (values.help) {
      io.stdout(command.usage);
      return exitCodes.ok;
    }
    const input = await openInput(singleSource(positionals, command.name), io.stdin);
    await transformLines(input, command.transform, io.stdout);
    return exitCodes.ok;
  });
}

/**
 * Streams the input through `transform` one line at a time, so a multi-gigabyte log needs no more memory than
 * its longest line. Line endings are kept as they were (`\r\n` stays `\r\n`; no newline is added at the end).
 */
async function transformLines(
  input: NodeJS.ReadableStream,
  transform: (line: string) => string,
  write: (text: string) => void,
): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of input) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    const lines = pending.split('\n');
    pending = lines.pop() as string;
    if (lines.length > 0) write(`${lines.map(transform).join('\n')}\n`);
  }
  pending += decoder.end();
  if (pending !== '') write(transform(pending));
}
