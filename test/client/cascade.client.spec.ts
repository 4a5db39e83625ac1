import { CascadeClient, CascadeError } from 'nestjs-smsbat-cascade';
import { firstValueFrom } from 'rxjs';
import { startCascade } from '../support/cascade-app.js';
import { manyTransactions, transaction } from '../support/messages.js';

describe('CascadeClient, preparing a post ahead of it', () => {
  let cascade: Awaited<ReturnType<typeof startCascade>>;
  let client: CascadeClient;
  beforeAll(async () => {
    cascade = await startCascade();
    client = cascade.moduleRef.get(CascadeClient);
  });
  afterAll(() => cascade.close());
  beforeEach(() => cascade.emulator.reset());

  const idsOf = (body: unknown) => (body as { id: string }[]).map((message) => message.id);

  it('posts the messages as they were when prepared, and gives their ids in order', async () => {
    // Large enough for a pooled body buffer; checked messages, as the client takes them.
    const messages = manyTransactions(500).map((message) => ({ ...message }));
    const post = client.prepare('standard', messages);
    messages[0].text = 'changed after it was prepared';

    const messageIds = await firstValueFrom(client.postPrepared$(post));

    const [request] = cascade.emulator.requests;
    const sent = request.body as { id: string; text: string }[];
    expect(sent.map((message) => message.id)).toEqual(messages.map((message) => message.id));
    expect(sent[0].text).not.toBe('changed after it was prepared');
    expect(messageIds).toHaveLength(500);
    messageIds.forEach((messageId, i) =>
      expect(cascade.emulator.messages.get(messageId)?.message.id).toBe(messages[i].id),
    );
  });

  it('posts a prepared post once: a second subscription fails and sends nothing', async () => {
    const post = client.prepare('standard', [{ ...transaction({ id: 'once' }) }]);
    const posting = client.postPrepared$(post);
    await firstValueFrom(posting);

    // Its bytes may already carry another body: posting them again could send that one.
    await expect(firstValueFrom(posting)).rejects.toThrow(CascadeError);
    await expect(firstValueFrom(client.postPrepared$(post))).rejects.toThrow(/posted once/);
    expect(cascade.emulator.requests).toHaveLength(1);
  });

  it('posts no copy of a post: its bytes may already carry another body', async () => {
    // Same id lengths, so that the second body fits the first one's bytes exactly.
    const first = manyTransactions(500, 'one').map((message) => ({ ...message }));
    const second = manyTransactions(500, 'two').map((message) => ({ ...message }));
    const post = client.prepare('standard', first);
    await firstValueFrom(client.postPrepared$(post));
    // The first body's buffer is back in the pool: this one is written into it.
    client.prepare('standard', second);

    await expect(firstValueFrom(client.postPrepared$({ ...post }))).rejects.toThrow(CascadeError);

    const bodies = cascade.emulator.requests.map((request) => idsOf(request.body));
    expect(bodies).toEqual([first.map((message) => message.id)]);
  });
});
