/**
 * Serviced Account governance (DESIGN §2.3, seeds 004 and 001): pure decisions over plain data, plus the store
 * contract a node uses to load that data in a constant number of Odoo calls.
 */
export * from './types';
export {
	indexWorld,
	isIndexed,
	parseOdooDate,
	toOdooDatetime,
	membershipStatus,
	isActiveMembership,
	isActiveMember,
	isActiveSa,
	rootMembership,
	descendantAccounts,
	descendantSaIds,
	walkDescendants,
	type IndexedWorld,
	type WorldInput,
	type MembershipStatus,
	type SaTree,
	type IdLookup,
} from './world';
export { resolveContext, verifyContext, rollUp, type GovernanceContext, type ResolveResult, type SaChoice, type TeamMember, type RolledUpSa, type RollUp } from './context';
export {
	VISIBILITY_POLICIES,
	VISIBILITY_SCOPES,
	NOTHING_DOMAIN,
	visibilitySpec,
	visibilityDomain,
	specDomain,
	isVisible,
	filterVisible,
	type VisibilityPolicy,
	type VisibilityScope,
	type VisibilityOptions,
	type VisibilitySpec,
	type VisibilityResult,
} from './visibility';
export { ACTIONS, checkAction, type Authority, type TargetKind, type ActionSpec, type ActionTarget, type CheckOptions, type AllowReason, type TargetDecision, type CheckResult } from './actions';
export {
	validateStamp,
	planRevoke,
	planReassignV2,
	planReassignV3,
	auditIntegrity,
	planRepair,
	type RecordWrite,
	type MembershipWrite,
	type AssignmentWrite,
	type NewAssignment,
	type RevokePlan,
	type ReassignV2Request,
	type ReassignV2Plan,
	type ReassignV3Request,
	type ReassignV3Plan,
	type Finding,
	type FindingKind,
	type RepairPlan,
} from './integrity';
export {
	InMemoryGovernanceStore,
	checkWithStore,
	revokeWithStore,
	type GovernanceStore,
	type StoreCheckRequest,
	type StoreCheckResult,
	type StoreRevokeRequest,
	type StoreRevokeResult,
} from './store';
export { OdooGovernanceStore } from './odoo-store';
