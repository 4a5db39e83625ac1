import { Body, Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import {
  type AnyCascadeMessageDto,
  CascadeRetryInterceptor,
  CascadeService,
  type CascadeSendResult,
  ParseCascadeMessagesPipe,
} from 'nestjs-smsbat-cascade';

type Messages = AnyCascadeMessageDto | AnyCascadeMessageDto[];

/**
 * Sends one message or a batch of up to 1000, of any type, validated by the package's DTOs. The
 * interceptor retries what the module's policy calls retryable; each handler sends once.
 */
@Controller('messages')
@UseInterceptors(CascadeRetryInterceptor)
export class MessagesController {
  constructor(private readonly cascade: CascadeService) {}

  @Post()
  @HttpCode(200)
  send(@Body(ParseCascadeMessagesPipe) messages: Messages): Promise<CascadeSendResult[]> {
    return this.cascade.send([messages].flat());
  }

  @Post('tg-viber')
  @HttpCode(200)
  sendTelegramViber(
    @Body(ParseCascadeMessagesPipe) messages: Messages,
  ): Promise<CascadeSendResult[]> {
    return this.cascade.sendTelegramViber([messages].flat());
  }
}
