/** Injection token of the BullMQ `Queue` the module sends through. */
export const CASCADE_QUEUE = Symbol('CASCADE_QUEUE');
/** Injection token of the resolved queue options. */
export const CASCADE_QUEUE_CONFIG = Symbol('CASCADE_QUEUE_CONFIG');
/** Injection token of the campaign store. */
export const CASCADE_CAMPAIGN_STORE = Symbol('CASCADE_CAMPAIGN_STORE');
