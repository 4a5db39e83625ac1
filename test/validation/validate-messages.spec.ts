import { validateMessage } from '../../lib/validation/validate-messages.js';
import { flashcall, survey, transaction } from '../support/messages.js';

const context = { now: Date.parse('2030-01-01T00:00:00Z'), requireZone: true };
const codes = (message: unknown) => validateMessage(message, 0, context).map((v) => v.code);

// Every field is read by its name, as the message is when it is written: values that a walk over
// its keys would not meet are judged too.
describe('validateMessage: fields hidden from a walk over the keys', () => {
  it('judges a field that is not enumerable', () => {
    const message = Object.defineProperty(transaction(), 'ttl', { value: -5, enumerable: false });
    expect(codes(message)).toEqual(['INVALID_TTL']);
  });

  it('judges a field a class gives by a getter', () => {
    class Reminder {
      constructor() {
        Object.assign(this, transaction());
      }
      // Spread over the message when it is written: it must not carry an unchecked phone.
      get extra() {
        return { toPhone: '+14155550000' };
      }
    }
    expect(codes(new Reminder())).toEqual(['INVALID_EXTRA']);
  });

  it('judges a field inherited from a prototype', () => {
    const message = Object.assign(Object.create({ scheduledSent: 'tomorrow' }), transaction());
    expect(codes(message)).toEqual(['INVALID_SCHEDULE']);
  });

  it('passes hidden fields that are valid, as it passes visible ones', () => {
    const message = Object.defineProperty(survey(), 'ttl', { value: 60, enumerable: false });
    expect(codes(message)).toEqual([]);
    expect(codes(Object.assign(Object.create({ ttl: 60 }), flashcall()))).toEqual([]);
  });

  it('judges a required field that is hidden, or missing', () => {
    const { id, ...rest } = transaction();
    expect(codes(Object.defineProperty({ ...rest }, 'id', { value: 'bad id!' }))).toEqual([
      'INVALID_ID',
    ]);
    expect(codes(Object.defineProperty({ ...rest }, 'id', { value: id }))).toEqual([]);
    expect(codes(rest)).toEqual(['MISSING_FIELD']);
  });
});
