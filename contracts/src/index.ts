export * from './aim.js';
export * from './device-commands.js';
export * from './edge-events.js';
export * from './gs1.js';
export * from './realtime.js';
export * from './safe-values.js';
export * from './topics.js';
export * from './xml-reader.js';
