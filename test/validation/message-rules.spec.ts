import { validateMessageDtos } from 'nestjs-smsbat-cascade';
import { parseIsoDateTime } from '../../lib/validation/message-rules.js';
import { validateMessages } from '../../lib/validation/validate-messages.js';
import { flashcall, promo, survey, transaction } from '../support/messages.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

/** Both ways a message is judged: the service's pre-send check and the DTO classes. */
const judges = {
  service: (messages: unknown[]) =>
    validateMessages(messages, { now: Date.now(), requireZone: true }),
  dto: (messages: unknown[]) => validateMessageDtos(messages).violations,
};

const valid: [string, unknown][] = [
  ['a transaction', transaction()],
  ['a promo', promo()],
  ['a viber survey', survey()],
  ['a flash call', flashcall()],
  ['a message without ttl', transaction({ ttl: undefined })],
  ['an id of 254 characters', transaction({ id: 'a'.repeat(254) })],
  ['an id with - _ . :', transaction({ id: 'order-1_2.3:4' })],
  ['the shortest E.164 number', transaction({ toPhone: '+1234567' })],
  ['the longest E.164 number', transaction({ toPhone: '+123456789012345' })],
  ['scheduledSent in UTC', transaction({ scheduledSent: iso(HOUR) })],
  // An hour ahead, written as the wall time at UTC+02:00.
  [
    'scheduledSent with an offset',
    transaction({ scheduledSent: iso(3 * HOUR).replace('Z', '+02:00') }),
  ],
  ['scheduledSent a few seconds ago (clock skew)', transaction({ scheduledSent: iso(-10_000) })],
  ['scheduledSent 29 days ahead', transaction({ scheduledSent: iso(29 * DAY) })],
  ['survey text of 85 characters', survey({ text: 'x'.repeat(85) })],
  ['two survey options', survey({ surveyOptions: ['Yes', 'No'] })],
];

const invalid: [string, unknown, string, string][] = [
  ['no id', transaction({ id: undefined }), 'id', 'MISSING_FIELD'],
  ['an empty id', transaction({ id: '' }), 'id', 'MISSING_FIELD'],
  ['an id of 255 characters', transaction({ id: 'a'.repeat(255) }), 'id', 'INVALID_ID'],
  ['an id with a space', transaction({ id: 'order 1' }), 'id', 'INVALID_ID'],
  ['an id with a slash', transaction({ id: 'order/1' }), 'id', 'INVALID_ID'],
  ['a numeric id', transaction({ id: 12 as never }), 'id', 'INVALID_ID'],
  ['no fromName', transaction({ fromName: undefined }), 'fromName', 'MISSING_FIELD'],
  ['a blank fromName', transaction({ fromName: '  ' }), 'fromName', 'INVALID_SENDER'],
  ['no toPhone', transaction({ toPhone: undefined }), 'toPhone', 'MISSING_FIELD'],
  [
    'toPhone 380... without +',
    transaction({ toPhone: '380501234567' }),
    'toPhone',
    'INVALID_PHONE',
  ],
  ['toPhone 0... national', transaction({ toPhone: '0501234567' }), 'toPhone', 'INVALID_PHONE'],
  [
    'toPhone of 16 digits',
    transaction({ toPhone: '+1234567890123456' }),
    'toPhone',
    'INVALID_PHONE',
  ],
  ['toPhone with spaces', transaction({ toPhone: '+380 50 123 4567' }), 'toPhone', 'INVALID_PHONE'],
  [
    'toPhone with country code 0',
    transaction({ toPhone: '+0501234567' }),
    'toPhone',
    'INVALID_PHONE',
  ],
  ['no messageType', transaction({ messageType: undefined }), 'messageType', 'MISSING_FIELD'],
  [
    'an unknown messageType',
    { ...transaction(), messageType: 'viber_promo' },
    'messageType',
    'INVALID_MESSAGE_TYPE',
  ],
  ['a transaction without text', transaction({ text: undefined }), 'text', 'MISSING_FIELD'],
  ['a promo with blank text', promo({ text: ' ' }), 'text', 'INVALID_TEXT'],
  ['a survey text of 86 characters', survey({ text: 'x'.repeat(86) }), 'text', 'INVALID_TEXT'],
  ['a flash call with text', { ...flashcall(), text: 'Hi' }, 'text', 'UNKNOWN_FIELD'],
  [
    'surveyOptions on a promo',
    { ...promo(), surveyOptions: ['a', 'b'] },
    'surveyOptions',
    'UNKNOWN_FIELD',
  ],
  ['an unknown field', { ...transaction(), priority: 'high' }, 'priority', 'UNKNOWN_FIELD'],
  [
    'the misspelt sheduledSent',
    { ...transaction(), sheduledSent: iso(HOUR) },
    'sheduledSent',
    'UNKNOWN_FIELD',
  ],
  ['a ttl of 0', transaction({ ttl: 0 }), 'ttl', 'INVALID_TTL'],
  ['a negative ttl', transaction({ ttl: -5 }), 'ttl', 'INVALID_TTL'],
  ['a fractional ttl', transaction({ ttl: 1.5 }), 'ttl', 'INVALID_TTL'],
  ['a ttl as a string', transaction({ ttl: '3600' as never }), 'ttl', 'INVALID_TTL'],
  [
    'scheduledSent without a zone',
    transaction({ scheduledSent: '2030-01-25T10:00:00' }),
    'scheduledSent',
    'INVALID_SCHEDULE',
  ],
  [
    'scheduledSent that is no date',
    transaction({ scheduledSent: 'tomorrow' }),
    'scheduledSent',
    'INVALID_SCHEDULE',
  ],
  [
    'scheduledSent on 30 February',
    transaction({ scheduledSent: '2030-02-30T10:00:00Z' }),
    'scheduledSent',
    'INVALID_SCHEDULE',
  ],
  [
    'scheduledSent in the past',
    transaction({ scheduledSent: iso(-HOUR) }),
    'scheduledSent',
    'INVALID_SCHEDULE',
  ],
  [
    'scheduledSent 31 days ahead',
    transaction({ scheduledSent: iso(31 * DAY) }),
    'scheduledSent',
    'INVALID_SCHEDULE',
  ],
  [
    'a survey without options',
    survey({ surveyOptions: undefined }),
    'surveyOptions',
    'MISSING_FIELD',
  ],
  [
    'a survey with one option',
    survey({ surveyOptions: ['Yes'] }),
    'surveyOptions',
    'INVALID_SURVEY_OPTIONS',
  ],
  [
    'a survey with six options',
    survey({ surveyOptions: ['1', '2', '3', '4', '5', '6'] }),
    'surveyOptions',
    'INVALID_SURVEY_OPTIONS',
  ],
  [
    'a survey with an empty option',
    survey({ surveyOptions: ['Yes', ''] }),
    'surveyOptions',
    'INVALID_SURVEY_OPTIONS',
  ],
  [
    'a survey with a repeated option',
    survey({ surveyOptions: ['Yes', 'Yes'] }),
    'surveyOptions',
    'INVALID_SURVEY_OPTIONS',
  ],
  [
    'a survey option that is no string',
    survey({ surveyOptions: ['Yes', 2 as never] }),
    'surveyOptions',
    'INVALID_SURVEY_OPTIONS',
  ],
  ['a message that is no object', 'hello', '', 'INVALID_MESSAGE'],
];

describe.each(Object.entries(judges))('message rules, judged by the %s', (_judge, judge) => {
  it.each(valid)('accepts %s', (_label, message) => {
    expect(judge([message])).toEqual([]);
  });

  it.each(invalid)('rejects %s', (_label, message, field, code) => {
    const violations = judge([message]);

    expect(violations).toEqual([expect.objectContaining({ index: 0, field, code })]);
    expect(violations[0].message).not.toBe('');
  });

  it('names the message by its index and id', () => {
    const violations = judge([
      transaction({ id: 'a' }),
      transaction({ id: 'b', toPhone: '0501234567' }),
    ]);

    expect(violations).toEqual([expect.objectContaining({ index: 1, id: 'b', field: 'toPhone' })]);
  });

  it('rejects an id used twice in one call, naming the earlier message', () => {
    const violations = judge([
      transaction({ id: 'x' }),
      promo({ id: 'y' }),
      flashcall({ id: 'x' }),
    ]);

    expect(violations).toEqual([
      expect.objectContaining({
        index: 2,
        id: 'x',
        field: 'id',
        code: 'DUPLICATE_ID',
        message: 'id repeats the id of message 0',
      }),
    ]);
  });

  it('reports every broken rule of a message', () => {
    const violations = judge([{ ...survey({ toPhone: '380501234567', ttl: 0 }), extra: 1 }]);

    expect(violations.map((v) => v.field).sort()).toEqual(['extra', 'toPhone', 'ttl']);
  });
});

describe('what the phone rule says', () => {
  const messageFor = (toPhone: string) =>
    validateMessages([transaction({ toPhone })], { now: Date.now(), requireZone: true })[0].message;

  it('tells a number without + to add it', () => {
    expect(messageFor('380501234567')).toBe(
      'toPhone must start with "+" before the country code (+380501234567, not 380501234567)',
    );
  });

  it('tells a national number to use the country code', () => {
    expect(messageFor('0501234567')).toContain('needs "+" and the country code instead of the 0');
  });

  it('never echoes the number it rejects', () => {
    expect(messageFor('0671112233')).not.toContain('0671112233');
    expect(messageFor('380671112233')).not.toContain('380671112233');
  });
});

describe('parseIsoDateTime', () => {
  it.each([
    ['2030-01-25T10:00:00Z', Date.UTC(2030, 0, 25, 10)],
    ['2030-01-25T10:00:00.250Z', Date.UTC(2030, 0, 25, 10, 0, 0, 250)],
    ['2030-01-25T12:00:00+02:00', Date.UTC(2030, 0, 25, 10)],
    ['2030-01-25T05:30-0430', Date.UTC(2030, 0, 25, 10)],
  ])('reads %s', (text, expected) => {
    expect(parseIsoDateTime(text, true)).toBe(expected);
  });

  it('reads a zone-less time as UTC only when no zone is required', () => {
    expect(parseIsoDateTime('2030-01-25T10:00:00', false)).toBe(Date.UTC(2030, 0, 25, 10));
    expect(parseIsoDateTime('2030-01-25T10:00:00', true)).toBeNaN();
  });

  it.each(['2030-13-01T00:00:00Z', '2030-01-01T24:00:00Z', '2030-01-01 10:00:00Z', '2030-01-01'])(
    'rejects %s',
    (text) => {
      expect(parseIsoDateTime(text, true)).toBeNaN();
    },
  );
});
