export * from './signature';
export * from './client';
