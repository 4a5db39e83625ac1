import type {
  FlashcallMessage,
  PromoMessage,
  TransactionMessage,
  ViberCarouselMessage,
  ViberSurveyMessage,
} from 'nestjs-smsbat-cascade';

/** Valid messages of each type, for tests to start from and break one field at a time. */
export const transaction = (over: Partial<TransactionMessage> = {}): TransactionMessage => ({
  id: 'order-12345',
  fromName: 'YourStore',
  toPhone: '+380501234567',
  messageType: 'transaction',
  text: 'Your order #12345 has been confirmed and will arrive tomorrow.',
  ttl: 86400,
  ...over,
});

export const promo = (over: Partial<PromoMessage> = {}): PromoMessage => ({
  id: 'promo-summer-sale',
  fromName: 'YourBrand',
  toPhone: '+380501234568',
  messageType: 'promo',
  text: 'Summer Sale! Up to 50% off. Shop now: https://example.com/sale',
  ttl: 259200,
  ...over,
});

export const survey = (over: Partial<ViberSurveyMessage> = {}): ViberSurveyMessage => ({
  id: 'survey-satisfaction',
  fromName: 'YourBrand',
  toPhone: '+380501234569',
  messageType: 'viber_survey',
  text: 'How satisfied are you with our service?',
  surveyOptions: ['Very Satisfied', 'Satisfied', 'Neutral', 'Dissatisfied', 'Very Dissatisfied'],
  ttl: 604800,
  ...over,
});

export const flashcall = (over: Partial<FlashcallMessage> = {}): FlashcallMessage => ({
  id: 'verify-user-123',
  fromName: 'YourApp',
  toPhone: '+380501234570',
  messageType: 'flashcall',
  ttl: 300,
  ...over,
});

/** `count` valid transaction messages with ids `${prefix}-0` and up. */
export const manyTransactions = (count: number, prefix = 'bulk') =>
  Array.from({ length: count }, (_, i) =>
    transaction({ id: `${prefix}-${i}`, toPhone: `+38050${String(i).padStart(7, '0')}` }),
  );

/** A Viber carousel, shaped as the vendor's website sends one: no top-level text. */
export const carousel = (over: Partial<ViberCarouselMessage> = {}): ViberCarouselMessage => ({
  id: 'carousel-new-arrivals',
  fromName: 'YourBrand',
  toPhone: '+380501234571',
  messageType: 'viber_carousel',
  ttl: 80,
  viberMessage: {
    ttl: 60,
    text: 'New arrivals',
    carousel: {
      items: [
        {
          title: 'Sneakers',
          imageUrl: 'https://example.com/sneakers.jpg',
          primaryButton: { label: 'Buy', actionUrl: 'https://example.com/sneakers' },
          secondaryButton: { label: 'More', actionUrl: 'https://example.com/shoes' },
        },
        {
          title: 'Boots',
          imageUrl: 'https://example.com/boots.jpg',
          primaryButton: { label: 'Buy', actionUrl: 'https://example.com/boots' },
          secondaryButton: { label: 'More', actionUrl: 'https://example.com/shoes' },
        },
      ],
    },
  },
  customerData: { type: 'data' },
  ...over,
});
