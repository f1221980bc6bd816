import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';

/**
 * A minimal WebSocket client (RFC 6455) for reading the Agents Playground's conversation stream.
 *
 * Node 20 has no global WebSocket without a flag, and the `ws` package is only a transitive dependency
 * here, so relying on it would break the day botframework-streaming drops it. The Playground's stream is
 * server-to-client JSON text frames without extensions (we offer none), so a reader for text frames,
 * fragmentation, ping and close is all that is needed.
 */

const handshakeGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface WebSocketConnection {
  /** Registers the handler for each complete text message. */
  onMessage(listener: (text: string) => void): void;
  /** Registers the handler for the end of the connection (closed by either side or broken). */
  onClose(listener: (reason: string) => void): void;
  close(): void;
}

export function connectWebSocket(url: string, timeoutMs = 10_000): Promise<WebSocketConnection> {
  const target = new URL(url);
  if (target.protocol !== 'ws:') throw new Error(`connectWebSocket supports ws:// only, got ${url}`);
  const key = randomBytes(16).toString('base64');
  const expectedAccept = createHash('sha1')
    .update(key + handshakeGuid)
    .digest('base64');

  return new Promise<WebSocketConnection>((resolve, reject) => {
    const request = http.request({
      host: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Key': key,
        'Sec-WebSocket-Version': '13',
      },
      timeout: timeoutMs,
    });
    request.once('timeout', () => request.destroy(new Error(`WebSocket handshake with ${url} timed out`)));
    request.once('error', reject);
    request.once('response', (response) => {
      response.resume();
      reject(new Error(`WebSocket handshake with ${url} failed: HTTP ${response.statusCode} instead of 101`));
    });
    request.once('upgrade', (response, socket, head) => {
      if (response.headers['sec-websocket-accept'] !== expectedAccept) {
        socket.destroy();
        reject(new Error(`WebSocket handshake with ${url} failed: wrong Sec-WebSocket-Accept`));
        return;
      }
      socket.setTimeout(0);
      resolve(new FrameReader(socket, head));
    });
    request.end();
  });
}

class FrameReader implements WebSocketConnection {
  private buffer: Buffer;
  private fragments: Buffer[] = [];
  private messageListeners: Array<(text: string) => void> = [];
  private closeListeners: Array<(reason: string) => void> = [];
  private closed = false;

  constructor(
    private readonly socket: Socket,
    head: Buffer,
  ) {
    this.buffer = Buffer.from(head);
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.readFrames();
    });
    socket.on('close', () => this.finish('socket closed'));
    socket.on('error', (error) => this.finish(`socket error: ${error.message}`));
    // The upgrade may already carry the first frames.
    queueMicrotask(() => this.readFrames());
  }

  onMessage(listener: (text: string) => void): void {
    this.messageListeners.push(listener);
  }

  onClose(listener: (reason: string) => void): void {
    this.closeListeners.push(listener);
  }

  close(): void {
    if (this.closed) return;
    this.sendFrame(Opcode.close, Buffer.from([0x03, 0xe8])); // 1000: normal closure
    this.socket.end();
    // A server that never answers the close must not keep the test process alive.
    setTimeout(() => this.socket.destroy(), 1_000).unref();
    this.finish('closed by client');
  }

  private finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.closeListeners) listener(reason);
  }

  private readFrames(): void {
    for (;;) {
      if (this.buffer.length < 2) return;
      const first = this.buffer[0];
      const second = this.buffer[1];
      const final = (first & 0x80) !== 0;
      const opcode = first & 0x0f;
      const masked = (second & 0x80) !== 0;
      let length = second & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const maskLength = masked ? 4 : 0;
      if (this.buffer.length < offset + maskLength + length) return;
      const payload = Buffer.from(this.buffer.subarray(offset + maskLength, offset + maskLength + length));
      if (masked) {
        // Servers must not mask, but unmasking costs nothing and keeps the reader honest.
        const mask = this.buffer.subarray(offset, offset + 4);
        for (let index = 0; index < payload.length; index += 1) payload[index] ^= mask[index % 4];
      }
      this.buffer = this.buffer.subarray(offset + maskLength + length);
      this.handleFrame(final, opcode, payload);
    }
  }

  private handleFrame(final: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case Opcode.text:
      case Opcode.binary:
      case Opcode.continuation:
        this.fragments.push(payload);
        if (final) {
          const text = Buffer.concat(this.fragments).toString('utf8');
          this.fragments = [];
          for (const listener of this.messageListeners) listener(text);
        }
        return;
      case Opcode.ping:
        this.sendFrame(Opcode.pong, payload);
        return;
      case Opcode.close:
        this.sendFrame(Opcode.close, payload.subarray(0, 2));
        this.socket.end();
        this.finish(`closed by server${payload.length >= 2 ? ` (code ${payload.readUInt16BE(0)})` : ''}`);
        return;
      default:
        // Pong and reserved opcodes carry nothing a reader of this stream needs.
        return;
    }
  }

  /** Client frames must be masked (RFC 6455 §5.3); control frames here are always short. */
  private sendFrame(opcode: number, payload: Buffer): void {
    if (this.closed || this.socket.destroyed) return;
    const mask = randomBytes(4);
    const masked = Buffer.from(payload);
    for (let index = 0; index < masked.length; index += 1) masked[index] ^= mask[index % 4];
    this.socket.write(Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | masked.length]), mask, masked]));
  }
}
