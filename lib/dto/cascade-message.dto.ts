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
  /** Your tracking id: 1 to 254 letters, digits, `-`, `_`, `.` or `:`, unique within a call. */
  @CascadeRule('id')
  id!: string;

  /** The sender's display name. */
  @CascadeRule('fromName')
  fromName!: string;

  /** The recipient in E.164: `+`, the country code and the number (`+380501234567`). */
  @CascadeRule('toPhone')
  toPhone!: string;

  /** `transaction`, `promo`, `viber_survey`, `viber_carousel` or `flashcall`. */
  @CascadeRule('messageType')
  messageType!: CascadeMessageType;

  /** Time to live in seconds, a positive whole number. */
  @CascadeRule('ttl')
  ttl?: number;

  /** When to deliver: an ISO 8601 date-time with its zone, at most 30 days ahead. */
  @CascadeRule('scheduledSent')
  scheduledSent?: string;

  /** Fields the module does not know, sent as given: unchecked but for their bounds and keys. */
  @CascadeRule('extra')
  extra?: CascadeExtraFields;
}

/** Content nested per channel, and inline variables, beside the text. */
abstract class ContentMessageDto extends CascadeMessageDto {
  /** Content for Viber, nested as the vendor's portal and website show it. */
  @CascadeRule('viberMessage')
  viberMessage?: ViberMessage;

  /** Content for Telegram, nested as the vendor's portal shows it. */
  @CascadeRule('tgMessage')
  tgMessage?: TelegramMessage;

  /** Your own data, passed through as the vendor's website shows it. */
  @CascadeRule('customerData')
  customerData?: CustomerData;

  /** Values for `%name=1%`-style placeholders in the text, as the vendor's help shows. */
  @CascadeRule('variables')
  variables?: CascadeVariable[];
}

/** `text` may be left out when `viberMessage` or `tgMessage` carries the content. */
export class TransactionMessageDto extends ContentMessageDto {
  declare messageType: 'transaction';

  /** The message's text. */
  @CascadeRule('text')
  text?: string;
}

/** Marketing content. */
export class PromoMessageDto extends ContentMessageDto {
  declare messageType: 'promo';

  /** The message's text; it may carry links. */
  @CascadeRule('text')
  text!: string;
}

/**
 * Either `text` and `surveyOptions` (the API page's form) or the same nested in `viberMessage`,
 * with the answers in `viberMessage.survey.options` (the website's form).
 */
export class ViberSurveyMessageDto extends ContentMessageDto {
  declare messageType: 'viber_survey';

  /** The message's text. */
  @CascadeRule('text')
  text?: string;

  /** 2 to 5 distinct answers, unless `viberMessage.survey.options` carries them. */
  @CascadeRule('surveyOptions')
  surveyOptions?: string[];
}

/** The cards are in `viberMessage.carousel.items`; top-level `text` is optional. */
export class ViberCarouselMessageDto extends ContentMessageDto {
  declare messageType: 'viber_carousel';
  declare viberMessage: ViberMessage & { carousel: ViberCarousel };

  /** The message's text. */
  @CascadeRule('text')
  text?: string;
}

/** A flash call carries no text (a `text` field is rejected as unknown), but may fall back. */
export class FlashcallMessageDto extends CascadeMessageDto {
  declare messageType: 'flashcall';

  /** A transaction message to send should the call not get through. */
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
  /** 1 to 1000 messages, of any types. */
  messages!: AnyCascadeMessageDto[];
}
