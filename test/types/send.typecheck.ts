// Compiled by `npm run typecheck` (tsc), never run: each `@ts-expect-error` below must meet a
// compile error, or tsc fails on the unused directive. So a typing that lets one of these
// mistakes through breaks CI.
import type { CascadeService } from 'nestjs-smsbat-cascade';

declare const cascade: CascadeService;
const base = { id: 'order-1', fromName: 'Shop', toPhone: '+380501234567' } as const;

export async function typeTests() {
  // Right: one message gives one result, an array gives an array.
  const one: { messageId: string } = await cascade.send({
    ...base,
    messageType: 'transaction',
    text: 'Your order has shipped',
  });
  const many: { messageId: string }[] = await cascade.send([{ ...base, messageType: 'flashcall' }]);

  // @ts-expect-error The misspelling the vendor's portal uses is not the module's field name.
  await cascade.send({ ...base, messageType: 'transaction', text: 'Hi', sheduledSent: '2030' });

  // @ts-expect-error A flash call carries no text.
  await cascade.send({ ...base, messageType: 'flashcall', text: 'Your code is 1234' });

  const survey = { ...base, messageType: 'viber_survey', text: 'Happy?' } as const;
  // @ts-expect-error A survey's options are text.
  await cascade.send({ ...survey, surveyOptions: [1, 2] });

  // @ts-expect-error Not a message type.
  await cascade.send({ ...base, messageType: 'sms', text: 'Hi' });

  // @ts-expect-error Unknown fields fail to compile in arrays too.
  await cascade.sendTelegramViber([{ ...base, messageType: 'promo', text: 'Sale', link: 'x' }]);

  // @ts-expect-error One message gives one result, not an array.
  const wrong: { messageId: string }[] = await cascade.send({ ...base, messageType: 'flashcall' });

  return [one, many, wrong];
}
