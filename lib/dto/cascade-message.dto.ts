import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { MAX_MESSAGES_PER_CALL } from '../cascade.constants.js';
import type { CascadeMessageType } from '../types/message.types.js';
import { CascadeRule } from './cascade-rule.decorator.js';

/**
 * The fields every message has. A body whose `messageType` names none of the four types is
 * read as this class, so its `messageType` fails validation with a clear message.
 */
export class CascadeMessageDto {
  @CascadeRule('id')
  id!: string;

  @CascadeRule('fromName')
  fromName!: string;

  @CascadeRule('toPhone')
  toPhone!: string;

  @CascadeRule('messageType')
  messageType!: CascadeMessageType;

  @CascadeRule('ttl')
  ttl?: number;

  @CascadeRule('scheduledSent')
  scheduledSent?: string;
}

export class TransactionMessageDto extends CascadeMessageDto {
  declare messageType: 'transaction';

  @CascadeRule('text')
  text!: string;
}

export class PromoMessageDto extends CascadeMessageDto {
  declare messageType: 'promo';

  @CascadeRule('text')
  text!: string;
}

export class ViberSurveyMessageDto extends CascadeMessageDto {
  declare messageType: 'viber_survey';

  @CascadeRule('text')
  text!: string;

  @CascadeRule('surveyOptions')
  surveyOptions!: string[];
}

/** A flash call carries no text: a `text` field is rejected as unknown. */
export class FlashcallMessageDto extends CascadeMessageDto {
  declare messageType: 'flashcall';
}

export type AnyCascadeMessageDto =
  TransactionMessageDto | PromoMessageDto | ViberSurveyMessageDto | FlashcallMessageDto;

/** The DTO class of each `messageType`. */
export const MESSAGE_DTOS = {
  transaction: TransactionMessageDto,
  promo: PromoMessageDto,
  viber_survey: ViberSurveyMessageDto,
  flashcall: FlashcallMessageDto,
} as const;

/**
 * A body of `{ "messages": [...] }` holding any mix of types, each validated by the class its
 * `messageType` names. Use it with Nest's `ValidationPipe`
 * (`{ whitelist: true, forbidNonWhitelisted: true }`).
 */
export class CascadeMessagesDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MESSAGES_PER_CALL)
  @ValidateNested({ each: true })
  @Type(() => CascadeMessageDto, {
    keepDiscriminatorProperty: true,
    discriminator: {
      property: 'messageType',
      subTypes: Object.entries(MESSAGE_DTOS).map(([name, value]) => ({ name, value })),
    },
  })
  messages!: AnyCascadeMessageDto[];
}
