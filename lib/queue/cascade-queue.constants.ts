/** Injection token of the BullMQ `Queue` the module sends through. */
export const CASCADE_QUEUE = Symbol('CASCADE_QUEUE');
/** Injection token of the resolved queue options. */
export const CASCADE_QUEUE_CONFIG = Symbol('CASCADE_QUEUE_CONFIG');
/** Injection token of the queue's name, given when the module is declared. */
export const CASCADE_QUEUE_NAME = Symbol('CASCADE_QUEUE_NAME');
/** The queue's name when none is given. */
export const DEFAULT_QUEUE_NAME = 'cascade-messages';
