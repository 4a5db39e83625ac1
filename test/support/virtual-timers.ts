/** What Jest's fake timers can replace, in Node. */
const FAKEABLE = [
  'Date',
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

/**
 * Puts exactly these functions on Jest's clock, which moves only when the test moves it
 * (`import.meta.jest.advanceTimersByTime`...); everything else, sockets included, keeps the real
 * one. Undo with `import.meta.jest.useRealTimers()`.
 */
export function virtualTimers(...apis: (typeof FAKEABLE)[number][]): void {
  import.meta.jest.useFakeTimers({ doNotFake: FAKEABLE.filter((api) => !apis.includes(api)) });
}
