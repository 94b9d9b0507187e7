export * from './gates';
export * from './status';
export * from './token';
export * from './record-first';
export * from './claim';
