export { startSlackSandbox } from './server';
export type {
	SlackSandbox,
	SlackSandboxOptions,
	SlackFault,
	StoredMessage,
	MessageVersion,
	EphemeralMessage,
	ResponseUrlPost,
	ApiCall,
	SendBlockActionOptions,
	BlockActionResult,
	BlockActionsPayload,
} from './server';
export { SEED_IDS, seedWorkspace } from './seed';
export type { SlackUser, SlackChannel, SlackUsergroup, Workspace } from './seed';
export { LIMITS as BLOCK_KIT_LIMITS, validateBlocks } from './blocks';
export { slackSignature, signRequest, deliver, encodeInteractionBody, ACK_DEADLINE_MS } from './interactions';
export type { SignedRequest, DeliveryResult, Tamper } from './interactions';
