import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  type AnyCascadeMessageDto,
  type CascadeDeliveryStatus,
  CascadeRetryInterceptor,
  CascadeService,
  type CascadeSendResult,
  ParseCascadeMessagesPipe,
} from 'nestjs-smsbat-cascade';
import { messagesBody, sendResults } from '../openapi.js';
import { ApiKeyGuard } from '../security/api-key.guard.js';
import { ParseMessageIdPipe } from './message-id.pipe.js';

type Messages = AnyCascadeMessageDto | AnyCascadeMessageDto[];

/**
 * Sends one message or a batch of up to 1000, of any type, validated by the package's DTOs. The
 * interceptor retries what the module's policy calls retryable; each handler sends once.
 */
@ApiTags('messages')
@ApiSecurity('api-key')
@Controller('messages')
@UseGuards(ApiKeyGuard)
@UseInterceptors(CascadeRetryInterceptor)
export class MessagesController {
  constructor(private readonly cascade: CascadeService) {}

  /** Sends through the standard cascade: Telegram, Viber, Viber Business, RCS, then SMS. */
  @Post()
  @HttpCode(200)
  @ApiBody(messagesBody)
  @ApiOkResponse(sendResults)
  send(@Body(ParseCascadeMessagesPipe) messages: Messages): Promise<CascadeSendResult[]> {
    return this.cascade.send([messages].flat());
  }

  /** Sends through the endpoint that tries Telegram and Viber first. */
  @Post('tg-viber')
  @HttpCode(200)
  @ApiBody(messagesBody)
  @ApiOkResponse(sendResults)
  sendTelegramViber(
    @Body(ParseCascadeMessagesPipe) messages: Messages,
  ): Promise<CascadeSendResult[]> {
    return this.cascade.sendTelegramViber([messages].flat());
  }

  /** A sent message's delivery status, by the `messageId` the send answered with. */
  @Get(':messageId/status')
  status(
    @Param('messageId', ParseMessageIdPipe) messageId: string,
  ): Promise<CascadeDeliveryStatus> {
    return this.cascade.getStatus(messageId);
  }
}
