import type { MESSAGE_TYPES } from '../cascade.constants.js';

export type CascadeMessageType = (typeof MESSAGE_TYPES)[number];

/*
 * Fields beyond the API page the module wraps come from the vendor's other documents, named in
 * each field's TSDoc: the developer portal (developers.smsbat.com/cascade), the website's
 * /viber-survey and /viber-carousel pages (smsbat.com), and the help pages "Message types" and
 * "Message variables" (help.smsbat.com). Where those documents state no rule, the module checks
 * only the JSON shape they show; every field of the nested objects is optional unless said.
 *
 * A safety bound of the module's own, not the vendor's: each nested field (`viberMessage`,
 * `tgMessage`, `customerData`, `variables`, `fallback`, `extra`) nests at most 8 levels of
 * objects and arrays and is at most 65,536 characters as JSON.
 */

/** The sender Viber shows, in `viberMessage.sender`. */
export interface ViberSender {
  /** Shown as a string in the developer portal's transaction example. */
  name?: string;
  /** An image URL, shown as a string in the developer portal's transaction example. */
  avatar?: string;
}

/** A button of a carousel item (the website's /viber-carousel page). */
export interface ViberCarouselButton {
  /** The button's caption, a string on the website's /viber-carousel page. */
  label?: string;
  /** The URL the button opens, a string on the website's /viber-carousel page. */
  actionUrl?: string;
}

/** One card of a carousel (the website's /viber-carousel page, which shows two). */
export interface ViberCarouselItem {
  /** A string on the website's /viber-carousel page; no length limit is stated. */
  title?: string;
  /** An image URL, a string on the website's /viber-carousel page. */
  imageUrl?: string;
  /** Shown on the website's /viber-carousel page. */
  primaryButton?: ViberCarouselButton;
  /** Shown on the website's /viber-carousel page. */
  secondaryButton?: ViberCarouselButton;
}

/** A carousel, in `viberMessage.carousel` (the website's /viber-carousel page). */
export interface ViberCarousel {
  /**
   * The cards, required when `carousel` is given. The vendor states no count and no text
   * limits; the website's example has two.
   */
  items: ViberCarouselItem[];
}

/** A survey, in `viberMessage.survey` (the website's /viber-survey page). */
export interface ViberSurvey {
  /**
   * The answers, required when `survey` is given. The API page's 2 to 5 is stated for the
   * top-level `surveyOptions`; for this form the vendor states no count (the website shows 5).
   */
  options: string[];
}

/**
 * Viber content nested in a message. The website says Cascade replicates the Viber Bot REST
 * API, whose send fields most of these names mirror; keys not listed here are passed through
 * (as JSON values, within the nesting and size bounds of the pre-send check), but TypeScript
 * knows only these.
 */
export interface ViberMessage {
  /** A string in the developer portal's transaction example; its meaning is not stated. */
  receiver?: string;
  /** A number (1) in the developer portal's transaction example; its meaning is not stated. */
  minApiVersion?: number;
  /** A string (`"text"`) in the developer portal's transaction example; its values are not stated. */
  type?: string;
  /** Shown in the developer portal's transaction example. */
  sender?: ViberSender;
  /** The Viber text: in the developer portal's example and both website examples. */
  text?: string;
  /** A string in the developer portal's transaction example; its meaning is not stated. */
  fallbackText?: string;
  /**
   * A number (60) in both website examples; how it relates to the message's own `ttl` is not
   * stated.
   */
  ttl?: number;
  /** A survey's answers, as the website's /viber-survey page sends a `viber_survey`. */
  survey?: ViberSurvey;
  /** A carousel's cards, as the website's /viber-carousel page sends a `viber_carousel`. */
  carousel?: ViberCarousel;
}

/** A button under a Telegram message (the developer portal's transaction example). */
export interface TelegramButton {
  /** A string in the developer portal's transaction example; its meaning is not stated. */
  action?: string;
  /** The button's caption, a string in the developer portal's transaction example. */
  text?: string;
}

/** Telegram content nested in a message, as the developer portal's transaction example shows it. */
export interface TelegramMessage {
  /** The Telegram text, a string in the developer portal's transaction example. */
  text?: string;
  /** An image URL, a string in the developer portal's transaction example. */
  photoUrl?: string;
  /** A number in the developer portal's transaction example; its meaning is not stated. */
  chatId?: number;
  /** An array of `{ action, text }` in the developer portal's transaction example. */
  buttons?: TelegramButton[];
}

/** Customer data, shown only in the website's two examples; its meaning is not stated. */
export interface CustomerData {
  /** A string (`"data"`) in both website examples. */
  type?: string;
}

/**
 * A value for a `%type=id%` placeholder in the text, given inline (help: "Message types"; the
 * help page "Message variables" registers the same objects beforehand instead). The vendor
 * states no limits, nor that ids are unique: its example uses one id for two types.
 */
export interface CascadeVariable {
  /** A whole number, named in the placeholder (`%name=1%`), as both help pages show it. */
  id: number;
  /** The placeholder's kind: the three both help pages name. */
  type?: 'name' | 'url' | 'short_url';
  /** The text put in place of the placeholder, a string on both help pages. */
  value: string;
}

/** What a flash call falls back to, as help: "Message types" shows it. */
export interface FlashcallFallback {
  /** `"transaction"`, the only value help: "Message types" shows. */
  messageType: 'transaction';
  /**
   * The fallback message's text, shown by help: "Message types"; required and not blank, as a
   * transaction's text is.
   */
  text: string;
}

/** Every field name a message may carry, of any type; `extra` may use none of them. */
export type CascadeMessageField =
  | 'id'
  | 'fromName'
  | 'toPhone'
  | 'messageType'
  | 'text'
  | 'ttl'
  | 'scheduledSent'
  | 'surveyOptions'
  | 'viberMessage'
  | 'tgMessage'
  | 'customerData'
  | 'variables'
  | 'fallback'
  | 'extra';

/**
 * Fields the module does not know yet (the developer portal's `buttonText` and
 * `wheterCheckSession`, say), merged into the message as sent, UNCHECKED: no rule is applied to
 * them. The pre-send check asks only that it be a plain object of JSON values, within the
 * module's nesting and size bounds (8 levels, 65,536 characters as JSON), whose keys name no
 * field the module knows (those are set directly, and checked).
 */
export type CascadeExtraFields = { readonly [key: string]: unknown } & {
  readonly [K in CascadeMessageField]?: never;
};

interface CascadeMessageFields {
  /** Your tracking id: 1 to 254 letters, digits, `-`, `_`, `.` or `:`, unique within one call. */
  id: string;
  /** The sender's display name. */
  fromName: string;
  /** The recipient in E.164: `+`, the country code and the number (`+380501234567`). */
  toPhone: string;
  /** Time to live in seconds, a positive integer. */
  ttl?: number;
  /** When to deliver: an ISO 8601 date-time with a zone, or a `Date`; at most 30 days ahead. */
  scheduledSent?: string | Date;
  /** The escape hatch for fields the module does not know: sent as given, unchecked. */
  extra?: CascadeExtraFields;
}

/**
 * Content nested per channel and inline variables. The developer portal's examples and the
 * website's carry `viberMessage`, `tgMessage` and `customerData` beside the top-level fields;
 * help: "Message types" carries `variables`.
 */
interface NestedContentFields {
  /** Viber content (developer portal: transaction; website: viber_survey, viber_carousel). */
  viberMessage?: ViberMessage;
  /** Telegram content (developer portal: transaction). */
  tgMessage?: TelegramMessage;
  /** Shown only in the website's examples; its meaning is not stated. */
  customerData?: CustomerData;
  /** Inline values for the text's placeholders (help: "Message types"). */
  variables?: CascadeVariable[];
}

/** A critical notification: order confirmations, account updates. */
export interface TransactionMessage extends CascadeMessageFields, NestedContentFields {
  messageType: 'transaction';
  /**
   * Required, unless `viberMessage` or `tgMessage` carries the content: the developer portal's
   * transaction example nests both and has no top-level text.
   */
  text?: string;
}

/** Marketing content, which may carry links. */
export interface PromoMessage extends CascadeMessageFields, NestedContentFields {
  messageType: 'promo';
  /** Required: no promo the vendor shows goes without it. */
  text: string;
}

/**
 * An interactive Viber survey: the API page's form has at most 85 characters of text and 2 to 5
 * distinct `surveyOptions`; the website's form nests text and options in `viberMessage`.
 */
export interface ViberSurveyMessage extends CascadeMessageFields, NestedContentFields {
  messageType: 'viber_survey';
  /**
   * At most 85 characters. Required, unless `viberMessage` or `tgMessage` carries the content
   * (the website's survey has none at the top level).
   */
  text?: string;
  /** 2 to 5 distinct answers. Required, unless `viberMessage.survey` carries the answers. */
  surveyOptions?: string[];
}

/** A Viber carousel of cards, as the website's /viber-carousel page sends it through Cascade. */
export interface ViberCarouselMessage extends CascadeMessageFields, NestedContentFields {
  messageType: 'viber_carousel';
  /** Optional: the website's carousel has no top-level text. */
  text?: string;
  /** Required, with the cards in `carousel.items`. */
  viberMessage: ViberMessage & { carousel: ViberCarousel };
}

/** Phone verification by an automated call; it carries no text. */
export interface FlashcallMessage extends CascadeMessageFields {
  messageType: 'flashcall';
  /** A text message to send if the call fails (help: "Message types"). */
  fallback?: FlashcallFallback;
}

export type CascadeMessage =
  TransactionMessage | PromoMessage | ViberSurveyMessage | FlashcallMessage | ViberCarouselMessage;

/** The API's answer for one accepted message. */
export interface CascadeSendResult {
  /** The system's id (a UUID), for delivery tracking. */
  messageId: string;
  /** Your `id`, echoed under the API's own spelling. */
  trackinId: string;
  /** Your `id`, spelled correctly. */
  trackingId: string;
}
