import { FIELD_RULES, type RuleContext } from '../validation/message-rules.js';
import { validateMessage } from '../validation/validate-messages.js';
import { TrackingIdSet } from './tracking-id-set.js';

/** Why a campaign's message was refused before sending: a stable code and one sentence. */
export interface CampaignRefusal {
  /** The message's tracking id, when it has a readable one. */
  trackingId?: string;
  code: string;
  reason: string;
}

/** The one wording of a repeated tracking id, wherever a campaign is admitted. */
export const REPEATED_ID_REASON = 'id repeats the id of an earlier message of the campaign';

/** A refused message's tracking id, when it is a valid one: an invalid id may be huge. */
const trackingIdOf = (message: unknown) => {
  const id = (message as { id?: unknown } | null)?.id;
  return FIELD_RULES.id(id) === undefined ? { trackingId: id as string } : {};
};

/**
 * Admits a campaign's messages one at a time, as `sendBulk` and the queue's producer both do:
 * each is checked against every rule, and a tracking id seen before in the campaign is
 * refused, so no message is sent twice. A refusal says why, and holds back no other message.
 */
export class CampaignAdmissions {
  /** Tracking ids admitted so far. */
  private readonly seen: TrackingIdSet;
  private readonly context: RuleContext = { now: Date.now(), requireZone: true };

  /** `expected`: how many messages the campaign has, when that is known. */
  constructor(expected?: number) {
    this.seen = new TrackingIdSet(expected);
  }

  /**
   * Admits one message: undefined when it may be sent (it is then a checked message, with a
   * string `id`), or why not. Nothing is allocated for an admitted one: campaigns run hot.
   */
  admit(message: unknown, index: number): CampaignRefusal | undefined {
    const violations = validateMessage(message, index, this.context);
    if (violations.length > 0) {
      const reason = violations.map((violation) => violation.message).join('; ');
      return { ...trackingIdOf(message), code: violations[0].code, reason };
    }
    const trackingId = (message as { id: string }).id;
    if (!this.seen.add(trackingId)) {
      return { trackingId, code: 'DUPLICATE_ID', reason: REPEATED_ID_REASON };
    }
    return undefined;
  }

  /** Moves the clock the schedule rules judge by, for a campaign read over a long time. */
  tick(): void {
    this.context.now = Date.now();
  }
}
