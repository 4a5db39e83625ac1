/** One broken rule of one message. */
export interface CascadeViolation {
  /** The message's position in the call (absent for a rule of the whole call). */
  index?: number;
  /** The message's tracking id, when it has a readable one. */
  id?: string;
  /** The field at fault. */
  field: string;
  /** The rule broken, as a stable code such as `INVALID_PHONE`. */
  code: string;
  /** What is wrong, in a sentence. Never holds the phone number. */
  message: string;
}

/** What a broken rule reports: a stable code (as the API spells its codes) and a sentence. */
export interface RuleBreach {
  code: string;
  message: string;
  /** Where the fault lies inside the field checked, as `viberMessage.carousel.items[1].title`. */
  path?: string;
}
