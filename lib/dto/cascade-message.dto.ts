import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { MAX_MESSAGES_PER_CALL } from '../cascade.constants.js';
import type {
  CascadeExtraFields,
  CascadeMessageType,
  CascadeVariable,
  CustomerData,
  FlashcallFallback,
  TelegramMessage,
  ViberCarousel,
  ViberMessage,
} from '../types/message.types.js';
import { CascadeRule } from './cascade-rule.decorator.js';

/*
 * Nested content is validated whole, by the same rule function as the pre-send check (not by
 * nested DTO classes), so both name the same path (`viberMessage.carousel.items[1].title`) and
 * pass the same unlisted nested keys through. The fields' meanings are in the message types.
 */

/**
 * The fields every message has. A body whose `messageType` names none of the types is read as
 * this class, so its `messageType` fails validation with a clear message.
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

  /** Fields the module does not know, sent as given: unchecked but for their bounds and keys. */
  @CascadeRule('extra')
  extra?: CascadeExtraFields;
}

/** Content nested per channel, and inline variables, beside the text. */
abstract class ContentMessageDto extends CascadeMessageDto {
  @CascadeRule('viberMessage')
  viberMessage?: ViberMessage;

  @CascadeRule('tgMessage')
  tgMessage?: TelegramMessage;

  @CascadeRule('customerData')
  customerData?: CustomerData;

  @CascadeRule('variables')
  variables?: CascadeVariable[];
}

/** `text` may be left out when `viberMessage` or `tgMessage` carries the content. */
export class TransactionMessageDto extends ContentMessageDto {
  declare messageType: 'transaction';

  @CascadeRule('text')
  text?: string;
}

export class PromoMessageDto extends ContentMessageDto {
  declare messageType: 'promo';

  @CascadeRule('text')
  text!: string;
}

/**
 * Either `text` and `surveyOptions` (the API page's form) or the same nested in `viberMessage`,
 * with the answers in `viberMessage.survey.options` (the website's form).
 */
export class ViberSurveyMessageDto extends ContentMessageDto {
  declare messageType: 'viber_survey';

  @CascadeRule('text')
  text?: string;

  @CascadeRule('surveyOptions')
  surveyOptions?: string[];
}

/** The cards are in `viberMessage.carousel.items`; top-level `text` is optional. */
export class ViberCarouselMessageDto extends ContentMessageDto {
  declare messageType: 'viber_carousel';
  declare viberMessage: ViberMessage & { carousel: ViberCarousel };

  @CascadeRule('text')
  text?: string;
}

/** A flash call carries no text (a `text` field is rejected as unknown), but may fall back. */
export class FlashcallMessageDto extends CascadeMessageDto {
  declare messageType: 'flashcall';

  @CascadeRule('fallback')
  fallback?: FlashcallFallback;
}

export type AnyCascadeMessageDto =
  | TransactionMessageDto
  | PromoMessageDto
  | ViberSurveyMessageDto
  | FlashcallMessageDto
  | ViberCarouselMessageDto;

/** The DTO class of each `messageType`. */
export const MESSAGE_DTOS = {
  transaction: TransactionMessageDto,
  promo: PromoMessageDto,
  viber_survey: ViberSurveyMessageDto,
  flashcall: FlashcallMessageDto,
  viber_carousel: ViberCarouselMessageDto,
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
