export * from './cascade-emulator.js';
export * from './emulator-faults.js';
export * from './emulator-lifecycle.js';
