import { connect, type Socket } from 'node:net';

type Reply = string | number | null | Reply[] | Error;

/**
 * What Redis does to one key, as its keyspace notifications tell it (`incrby`, `expire`,
 * `expired`, `del`...), in the order Redis did it: no clock involved. Spoken in plain RESP over a
 * socket of its own, since a subscription takes a connection to itself.
 */
export class KeyspaceEvents {
  readonly events: string[] = [];
  private buffer = Buffer.alloc(0);
  private readonly waiting: ((reply: Reply) => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => this.read(chunk));
  }

  /** Turns the notifications on (every kind but key-miss) and subscribes to the key's events. */
  static async subscribe(port: number, key: string): Promise<KeyspaceEvents> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((done, fail) => socket.once('connect', done).once('error', fail));
    const events = new KeyspaceEvents(socket);
    await events.command('CONFIG', 'SET', 'notify-keyspace-events', 'KA');
    await events.command('SUBSCRIBE', `__keyspace@0__:${key}`);
    return events;
  }

  /** The events so far: a PING's answer comes after every event published before it. */
  async settle(): Promise<string[]> {
    await this.command('PING');
    return this.events;
  }

  close(): void {
    this.socket.destroy();
  }

  private command(...args: string[]): Promise<Reply> {
    const frame = args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('');
    this.socket.write(`*${args.length}\r\n${frame}`);
    return new Promise((done, fail) =>
      this.waiting.push((reply) => (reply instanceof Error ? fail(reply) : done(reply))),
    );
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (let parsed = parse(this.buffer, 0); parsed; parsed = parse(this.buffer, 0)) {
      this.buffer = this.buffer.subarray(parsed.end);
      const { value } = parsed;
      if (Array.isArray(value) && value[0] === 'message') this.events.push(String(value[2]));
      else this.waiting.shift()?.(value);
    }
  }
}

/** One RESP value from `at`, or nothing while it has not all arrived. */
function parse(buffer: Buffer, at: number): { value: Reply; end: number } | undefined {
  const lineEnd = buffer.indexOf('\r\n', at);
  if (lineEnd < 0) return undefined;
  const line = buffer.toString('utf8', at + 1, lineEnd);
  const next = lineEnd + 2;
  switch (String.fromCharCode(buffer[at])) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new Error(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buffer.length < next + length + 2) return undefined;
      return { value: buffer.toString('utf8', next, next + length), end: next + length + 2 };
    }
    case '*': {
      const items: Reply[] = [];
      let end = next;
      for (let i = 0; i < Number(line); i++) {
        const item = parse(buffer, end);
        if (!item) return undefined;
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      throw new Error(`Not RESP: ${line}`);
  }
}
