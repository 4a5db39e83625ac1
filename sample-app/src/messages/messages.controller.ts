import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  type AnyCascadeMessageDto,
  CascadeService,
  type CascadeSendResult,
  ParseCascadeMessagesPipe,
} from 'nestjs-smsbat-cascade';

type Messages = AnyCascadeMessageDto | AnyCascadeMessageDto[];

/** Sends one message or a batch of up to 1000, of any type, validated by the package's DTOs. */
@Controller('messages')
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
