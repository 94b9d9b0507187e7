/**
 * The seeded workspace. Ids are fixed and readable (U0ALICE, C0FINANCE…) so workflows, fixtures and assertions can
 * name them without a lookup, while keeping Slack's shapes (prefix letter + upper-case alphanumerics).
 */

export interface SlackUser {
	id: string;
	team_id: string;
	name: string;
	real_name: string;
	deleted: boolean;
	is_bot: boolean;
	is_admin: boolean;
	is_restricted: boolean;
	is_ultra_restricted: boolean;
	tz: string;
	profile: { real_name: string; display_name: string; email?: string; title: string; bot_id?: string };
}

export interface SlackChannel {
	id: string;
	name: string;
	is_channel: boolean;
	is_private: boolean;
	is_im: boolean;
	is_archived: boolean;
	created: number;
	creator: string;
	topic: { value: string; creator: string; last_set: number };
	purpose: { value: string; creator: string; last_set: number };
	/** Member user ids; the bot must be among them to post (otherwise Slack answers `not_in_channel`). */
	members: string[];
	/** For IM channels: the other party. */
	user?: string;
}

export interface SlackUsergroup {
	id: string;
	team_id: string;
	handle: string;
	name: string;
	description: string;
	is_usergroup: true;
	date_delete: number;
	users: string[];
}

export interface Workspace {
	team: { id: string; name: string; domain: string };
	bot: { userId: string; botId: string; appId: string; name: string };
	users: SlackUser[];
	channels: SlackChannel[];
	usergroups: SlackUsergroup[];
}

const CREATED = 1732700000;

export const SEED_IDS = {
	team: 'T0ODOOOPS',
	bot: { userId: 'U0ODOOBOT', botId: 'B0ODOOBOT', appId: 'A0ODOOOPS' },
	users: {
		alice: 'U0ALICE', // finance approver, in S0APPROVERS and S0FINANCE
		bob: 'U0BOB', // ops approver, in S0APPROVERS
		carol: 'U0CAROL', // requester: asks for approvals, approves nothing
		dave: 'U0DAVE', // outsider: sees the approval channels, may not approve
		erin: 'U0ERIN', // single-channel guest, only in #command-room
		gone: 'U0GONE', // deactivated account (deleted: true)
	},
	channels: {
		finance: 'C0FINANCE',
		ops: 'C0OPS',
		command: 'C0COMMAND',
		general: 'C0GENERAL', // the bot was never invited: posting gives not_in_channel
		secret: 'G0SECRET', // private, bot not a member: invisible to the bot (channel_not_found)
	},
	usergroups: { approvers: 'S0APPROVERS', finance: 'S0FINANCE', empty: 'S0EMPTY' },
} as const;

function user(team: string, id: string, name: string, realName: string, title: string, extra: Partial<SlackUser> = {}): SlackUser {
	return {
		id,
		team_id: team,
		name,
		real_name: realName,
		deleted: false,
		is_bot: false,
		is_admin: false,
		is_restricted: false,
		is_ultra_restricted: false,
		tz: 'Europe/Brussels',
		profile: { real_name: realName, display_name: name, email: `${name}@odoo-ops.example`, title },
		...extra,
	};
}

function channel(id: string, name: string, purpose: string, members: string[], isPrivate = false): SlackChannel {
	return {
		id,
		name,
		is_channel: !isPrivate,
		is_private: isPrivate,
		is_im: false,
		is_archived: false,
		created: CREATED,
		creator: SEED_IDS.users.alice,
		topic: { value: '', creator: '', last_set: 0 },
		purpose: { value: purpose, creator: SEED_IDS.users.alice, last_set: CREATED },
		members,
	};
}

/** A fresh copy each time: tests mutate the workspace (reset restores it). */
export function seedWorkspace(teamId: string = SEED_IDS.team): Workspace {
	const u = SEED_IDS.users;
	const bot = SEED_IDS.bot;
	const everyone = [u.alice, u.bob, u.carol, u.dave, bot.userId];
	return {
		team: { id: teamId, name: 'Odoo Ops', domain: 'odoo-ops' },
		bot: { ...bot, name: 'odoo_ops' },
		users: [
			user(teamId, u.alice, 'alice', 'Alice Martin', 'Finance Lead'),
			user(teamId, u.bob, 'bob', 'Bob Okafor', 'Operations Manager'),
			user(teamId, u.carol, 'carol', 'Carol Diaz', 'Accountant'),
			user(teamId, u.dave, 'dave', 'Dave Keller', 'Sales'),
			user(teamId, u.erin, 'erin', 'Erin Guest', 'External auditor', { is_restricted: true, is_ultra_restricted: true }),
			user(teamId, u.gone, 'gone', 'Former Employee', '', { deleted: true }),
			{
				...user(teamId, bot.userId, 'odoo_ops', 'Odoo Ops', ''),
				is_bot: true,
				profile: { real_name: 'Odoo Ops', display_name: '', title: '', bot_id: bot.botId },
			},
		],
		channels: [
			channel(SEED_IDS.channels.finance, 'approvals-finance', 'Finance approvals (payments, invoices, purchases)', [...everyone]),
			channel(SEED_IDS.channels.ops, 'approvals-ops', 'Operations approvals (sends, data changes)', [...everyone]),
			channel(SEED_IDS.channels.command, 'command-room', 'Command room: status and alerts', [...everyone, u.erin]),
			channel(SEED_IDS.channels.general, 'general', 'Company-wide', [u.alice, u.bob, u.carol, u.dave]),
			channel(SEED_IDS.channels.secret, 'board', 'Board only', [u.alice], true),
		],
		usergroups: [
			{ id: SEED_IDS.usergroups.approvers, team_id: teamId, handle: 'approvers', name: 'Approvers', description: 'May approve gated actions', is_usergroup: true, date_delete: 0, users: [u.alice, u.bob] },
			{ id: SEED_IDS.usergroups.finance, team_id: teamId, handle: 'finance-approvers', name: 'Finance approvers', description: 'Payments and invoices', is_usergroup: true, date_delete: 0, users: [u.alice] },
			{ id: SEED_IDS.usergroups.empty, team_id: teamId, handle: 'legal', name: 'Legal', description: 'Nobody yet', is_usergroup: true, date_delete: 0, users: [] },
		],
	};
}
