export * from './types';
export * from './errors';
export { createOdooClient, OdooRpcClient, DEFAULT_BATCH_SIZE, DEFAULT_PAGE_SIZE, isSafeToRetry } from './client';
export { parseDomain, buildDomain, andDomains, validateDomain, DOMAIN_OPERATORS, type DomainRow } from './domain';
export { resolveRelationalValues, type NameCache } from './values';
export { upsertByKey, type UpsertResult } from './upsert';
export { parseTraceback } from './error-mapping';
export * from './manual-schema';
