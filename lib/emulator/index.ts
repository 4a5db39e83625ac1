export * from './cascade-emulator.js';
export * from './emulator-faults.js';
