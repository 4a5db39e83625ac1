// A user's app on the packed package, built as ESM on Nest 12 and as CommonJS on Nest 11. It
// uses only what the package exports, and prints what it saw for the test to judge.
import 'reflect-metadata';
import { Body, Controller, Module, Post, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import {
  CascadeMessagesDto,
  CascadeModule,
  CascadeService,
  CascadeStatusUpdates,
  CascadeWebhookModule,
} from 'nestjs-smsbat-cascade';
import { CascadeHealthIndicator } from 'nestjs-smsbat-cascade/health';
import { CascadeQueueModule } from 'nestjs-smsbat-cascade/queue';
import { CascadeEmulator } from 'nestjs-smsbat-cascade/testing';
import { firstValueFrom } from 'rxjs';

const SECRET = 'consumer-webhook-secret';

@Controller('messages')
class MessagesController {
  constructor(private readonly cascade: CascadeService) {}

  @Post()
  send(@Body() body: CascadeMessagesDto) {
    return this.cascade.send(body.messages);
  }
}

async function main() {
  const emulator = await CascadeEmulator.start();

  @Module({
    imports: [
      CascadeModule.forRoot({ apiKey: 'consumer-key', baseUrl: emulator.url }),
      CascadeWebhookModule.forRoot({ secret: SECRET }),
      TerminusModule,
    ],
    controllers: [MessagesController],
    providers: [CascadeHealthIndicator],
  })
  class AppModule {}

  const app = await NestFactory.create(AppModule, { logger: false });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  const message = { fromName: 'Shop', messageType: 'transaction', text: 'Hi' };
  const good = await post('messages', {
    messages: [{ ...message, id: 'consumer-1', toPhone: '+380501234567' }],
  });
  const bad = await post('messages', {
    messages: [{ ...message, id: 'consumer-2', toPhone: 'no phone' }],
  });

  const update = firstValueFrom(app.get(CascadeStatusUpdates).updates$);
  const status = { messageId: 'm-1', deliverystatus: 'delivered', timestamp: 1767225600000 };
  const withoutSecret = await post('cascade/status', status);
  const withSecret = await post('cascade/status', status, { 'x-cascade-webhook-secret': SECRET });
  const { messageId, deliverystatus, final } = await update;

  const health = await app.get(CascadeHealthIndicator).isHealthy('cascade');
  await app.close();
  await emulator.close();

  console.log(
    JSON.stringify({
      good: { status: good.status, body: good.body },
      bad: { status: bad.status, message: bad.body.message },
      requests: emulator.requests.map(({ method, path, headers }) => ({
        method,
        path,
        apiKey: headers['x-authorization-key'],
      })),
      webhook: { withoutSecret: withoutSecret.status, withSecret: withSecret.status },
      update: { messageId, deliverystatus, final },
      health: health.cascade.status,
      queueModule: typeof CascadeQueueModule.forRootAsync,
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
