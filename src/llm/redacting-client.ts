import type { LlmClient, StructuredRequest, StructuredResponse } from './port';
import { LlmClientDecorator } from './decorator';

/**
 * The one door to the model: every message is passed through `redact` (passwords on command lines, API keys,
 * tokens, connection strings, private keys) before it leaves the process, whichever capability wrote the
 * prompt. Capabilities never need to remember it, and a new capability cannot forget it.
 */
export class RedactingLlmClient extends LlmClientDecorator {
  constructor(
    inner: LlmClient,
    private readonly redact: (text: string) => string,
  ) {
    super(inner);
  }

  generateStructured<T>(request: StructuredRequest<T>): Promise<StructuredResponse<T>> {
    return this.inner.generateStructured({
      ...request,
      messages: request.messages.map((message) => ({ ...message, content: this.redact(message.content) })),
    });
  }
}

const base64Run = /[A-Za-z0-9+/]{40,}={0,2}/g;
/** A private-use character marks where a protected run was taken out; redaction rules never match it. */
const placeholderMark = '\uE000';
const placeholder = new RegExp(`${placeholderMark}(\\d+)${placeholderMark}`, 'g');

/**
 * Base64 that decodes to readable text (PowerShell's -EncodedCommand is UTF-16LE, scripts are often UTF-8) is
 * evidence the model must see, not a key; a run that decodes to bytes is left to the redaction rules.
 */
function decodesToText(run: string): boolean {
  const bytes = Buffer.from(run, 'base64');
  if (bytes.length < 24) return false;
  const readable = (text: string) => {
    let printable = 0;
    for (const character of text) {
      const code = character.charCodeAt(0);
      if ((code >= 0x20 && code < 0x7f) || code === 0x0a || code === 0x0d || code === 0x09) printable += 1;
    }
    return printable / Math.max(1, text.length) >= 0.9;
  };
  return readable(bytes.toString('utf16le')) || readable(bytes.toString('utf8'));
}

/** `redact`, except that encoded commands and scripts survive it (their content is what an analyst asks about). */
export function redactForModel(redact: (text: string) => string): (text: string) => string {
  return (text) => {
    const kept: string[] = [];
    const protectedText = text.replace(base64Run, (run) => {
      if (!decodesToText(run)) return run;
      kept.push(run);
      return `${placeholderMark}${kept.length - 1}${placeholderMark}`;
    });
    // The decoded text can hold secrets too; those are what redaction is for, so an encoded secret is shown as is
    // only when its plain form has nothing to redact.
    return redact(protectedText).replace(placeholder, (_match, index: string) => {
      const run = kept[Number(index)];
      const decoded = Buffer.from(run, 'base64');
      const plain = decoded.toString(decodesAsUtf16(decoded) ? 'utf16le' : 'utf8');
      return redact(plain) === plain ? run : '[redacted encoded text holding a secret]';
    });
  };
}

function decodesAsUtf16(bytes: Buffer): boolean {
  // UTF-16LE ASCII text has a zero in every odd byte.
  let zeros = 0;
  for (let index = 1; index < bytes.length; index += 2) if (bytes[index] === 0) zeros += 1;
  return zeros >= bytes.length / 2 / 2;
}
