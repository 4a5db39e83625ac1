/**
 * Which of the vendor's documented variants of the send call a peer speaks. The vendor's pages
 * disagree on the scheduled-time field's name and on the phone number's form, and none says which
 * the server reads, so a client can be set to each and the emulator can expect each.
 */
export interface CascadeDialect {
  /** `scheduledSent` (the seed), `sheduledSent` (sic, the developer portal) or `scheduledTime` (the help index). */
  scheduledSentField: 'scheduledSent' | 'sheduledSent' | 'scheduledTime';
  /** `e164`: `+380501234567` (the seed); `digits`: `380501234567` (the developer portal, the website). */
  phoneFormat: 'e164' | 'digits';
}
