import type { MESSAGE_TYPES } from '../cascade.constants.js';

export type CascadeMessageType = (typeof MESSAGE_TYPES)[number];

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
}

/** A critical notification: order confirmations, account updates. */
export interface TransactionMessage extends CascadeMessageFields {
  messageType: 'transaction';
  text: string;
}

/** Marketing content, which may carry links. */
export interface PromoMessage extends CascadeMessageFields {
  messageType: 'promo';
  text: string;
}

/** An interactive Viber survey: at most 85 characters of text and 2 to 5 distinct options. */
export interface ViberSurveyMessage extends CascadeMessageFields {
  messageType: 'viber_survey';
  text: string;
  surveyOptions: string[];
}

/** Phone verification by an automated call; it carries no text. */
export interface FlashcallMessage extends CascadeMessageFields {
  messageType: 'flashcall';
}

export type CascadeMessage =
  TransactionMessage | PromoMessage | ViberSurveyMessage | FlashcallMessage;

/** The API's answer for one accepted message. */
export interface CascadeSendResult {
  /** The system's id (a UUID), for delivery tracking. */
  messageId: string;
  /** Your `id`, echoed under the API's own spelling. */
  trackinId: string;
  /** Your `id`, spelled correctly. */
  trackingId: string;
}
