/**
 * How messages are written on the wire for an account whose API follows one of the vendor's
 * other documents. The API users write stays one: `toPhone` in E.164 with `+`, and
 * `scheduledSent`.
 */
export interface CascadeDialect {
  /**
   * The field the scheduled time goes in: `scheduledSent` (the Cascade page), `sheduledSent`
   * (sic, the developer portal) or `scheduledTime` (the help pages).
   */
  scheduledSentField: 'scheduledSent' | 'sheduledSent' | 'scheduledTime';
  /** `e164` sends `+380501234567` (the Cascade page); `digits` sends `380501234567` (the portal). */
  phoneFormat: 'e164' | 'digits';
}
