/**
 * The command room status document of seed 000 (record-system state, core flows, app mapping), computed from the gate
 * table in use so the document cannot disagree with what the approval node enforces.
 */
import type { GateStatus, GateTable } from './gates';

export interface CoreFlow {
	name: string;
	status: 'mapped' | 'pending';
	slack: string;
	odoo: string;
	flow: string;
}

/** Seed 000's "Core Odoo ↔ Slack flows", word for word. */
export const DEFAULT_FLOWS: CoreFlow[] = [
	{
		name: 'Documents',
		status: 'mapped',
		slack: 'Approval thread/channel when legal or signature is needed',
		odoo: 'Documents / document folder',
		flow: 'Document needed → Odoo document folder → Slack approval if legal/signature → sign only after approval',
	},
	{
		name: 'Helpdesk',
		status: 'mapped',
		slack: '#mlh-warranty-support, #mlh-legacy-issues',
		odoo: 'Helpdesk',
		flow: 'MLH issue → Slack issue thread → Odoo helpdesk ticket → evidence attached → agent suggests next action → approval if legal/financial/customer-facing',
	},
	{
		name: 'Finance',
		status: 'mapped',
		slack: '#mlg-finance-review',
		odoo: 'Accounting / Invoicing / Expenses',
		flow: 'Draft invoice/payment/expense → Slack finance review → Odoo record → approval before sending/payment/customer-facing action',
	},
];

export interface AppStatusLine {
	app: string;
	purpose: string;
	gate: string;
	status: GateStatus;
	channel: string;
	approvers: { users: string[]; usergroups: string[] };
}

export interface CommandRoomStatus {
	flowsMapped: number;
	flowsTotal: number;
	appsTracked: number;
	appsMapped: number;
	appsPending: number;
	appsInReview: number;
	/** Apps whose gate names no approver: requests there cannot be approved yet. */
	appsWithoutApprovers: string[];
	/** "Partial foundation" until every app is mapped (the seed's own words for that state). */
	state: 'partial foundation' | 'all apps mapped';
	flows: CoreFlow[];
	apps: AppStatusLine[];
	generatedAt?: string;
	markdown: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
// Table cells: a pipe or newline in a purpose would break the Markdown table.
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function commandRoomStatus(table: GateTable, flows: CoreFlow[] = DEFAULT_FLOWS, options: { generatedAt?: Date | string } = {}): CommandRoomStatus {
	const apps: AppStatusLine[] = table.map((r) => ({
		app: r.app,
		purpose: r.purpose,
		gate: r.gate,
		status: r.status,
		channel: r.channel,
		approvers: { users: [...r.approvers.users], usergroups: [...r.approvers.usergroups] },
	}));
	const count = (s: GateStatus) => apps.filter((a) => a.status === s).length;
	const mappedFlows = flows.filter((f) => f.status === 'mapped');
	const generatedAt = options.generatedAt === undefined ? undefined : new Date(options.generatedAt).toISOString();
	const status: Omit<CommandRoomStatus, 'markdown'> = {
		flowsMapped: mappedFlows.length,
		flowsTotal: flows.length,
		appsTracked: apps.length,
		appsMapped: count('mapped'),
		appsPending: count('pending'),
		appsInReview: count('review'),
		appsWithoutApprovers: table.filter((r) => r.approvers.users.length === 0 && r.approvers.usergroups.length === 0).map((r) => r.app),
		state: apps.length > 0 && count('mapped') === apps.length ? 'all apps mapped' : 'partial foundation',
		flows: flows.map((f) => ({ ...f })),
		apps,
		...(generatedAt ? { generatedAt } : {}),
	};
	return { ...status, markdown: renderMarkdown(status) };
}

function renderMarkdown(s: Omit<CommandRoomStatus, 'markdown'>): string {
	const inReview = s.apps.filter((a) => a.status === 'review').map((a) => a.app);
	const lines: string[] = [
		'# Odoo Command Room',
		'',
		'Odoo is the system of record. Documents, helpdesk tickets, and finance records must exist in Odoo before any Slack approval is requested.',
		'',
		'## Record-system state',
		'',
		'| | |',
		'|---|---|',
		`| Core flows mapped | ${s.flowsMapped} / ${s.flowsTotal} |`,
		`| Odoo apps tracked | ${s.appsTracked} |`,
		`| Apps mapped | ${s.appsMapped} |`,
		`| Apps pending | ${s.appsPending} |`,
		`| Apps in review | ${s.appsInReview} |`,
		'',
		`- ${s.flowsMapped} / ${s.flowsTotal} core Odoo ↔ Slack flows mapped${s.flows.length ? ` (${s.flows.filter((f) => f.status === 'mapped').map((f) => f.name).join(' · ')})` : ''}`,
		`- ${plural(s.appsTracked, 'Odoo app', 'Odoo apps')} with defined approval gates`,
		`- ${plural(s.appsMapped, 'app', 'apps')} fully mapped`,
		`- ${plural(s.appsPending, 'app', 'apps')} pending full approval-gate wiring`,
		`- ${plural(s.appsInReview, 'app', 'apps')} in review${inReview.length ? ` — ${inReview.join(', ')}` : ''}`,
	];
	if (s.appsWithoutApprovers.length) lines.push(`- ${plural(s.appsWithoutApprovers.length, 'app has', 'apps have')} no approvers configured: ${s.appsWithoutApprovers.join(', ')}`);
	lines.push('', '## Core Odoo ↔ Slack flows', '');
	for (const f of s.flows) {
		lines.push(`### ${f.name} (${f.status})`, '', `- Slack: ${f.slack}`, `- Odoo: ${f.odoo}`, `- Flow: ${f.flow}`, '');
	}
	lines.push('## Odoo app mapping', '', `Approval gates and status per Odoo module. ${s.appsMapped} mapped · ${s.appsPending} pending · ${s.appsInReview} review.`, '');
	lines.push('| Odoo app | Purpose | Approval gate | Status |', '|---|---|---|---|');
	for (const a of s.apps) lines.push(`| ${cell(a.app)} | ${cell(a.purpose)} | ${cell(a.gate)} | ${a.status} |`);
	lines.push('', `State: ${s.state === 'partial foundation' ? 'PARTIAL FOUNDATION' : 'ALL APPS MAPPED'}`);
	if (s.generatedAt) lines.push('', `Generated ${s.generatedAt}`);
	return `${lines.join('\n')}\n`;
}
