/**
 * Block Kit validation as Slack applies it to chat.postMessage / chat.update / chat.postEphemeral / response_url.
 *
 * Slack rejects a message whose blocks break a limit with `invalid_blocks` and explains each problem as
 * "<reason> [json-pointer:/blocks/…]"; this reproduces that wording so a product can surface Slack's own pointer.
 * Only the elements an approval message plausibly uses are modelled in depth (section, header, context, divider,
 * image, actions, button, overflow, selects); other known types get their common limits (action_id, block_id).
 */

export const LIMITS = {
	blocksPerMessage: 50,
	blockId: 255,
	actionId: 255,
	buttonText: 75,
	buttonValue: 2000,
	buttonUrl: 3000,
	accessibilityLabel: 75,
	sectionText: 3000,
	sectionFields: 10,
	sectionFieldText: 2000,
	headerText: 150,
	actionsElements: 25,
	contextElements: 10,
	imageUrl: 3000,
	altText: 2000,
	markdownBlockText: 12000,
	optionText: 75,
	optionValue: 150,
	options: 100,
	confirmTitle: 100,
	confirmText: 300,
	confirmButton: 30,
} as const;

const BLOCK_TYPES = new Set(['section', 'header', 'divider', 'context', 'actions', 'image', 'input', 'rich_text', 'markdown', 'file', 'video', 'context_actions']);
const SELECTS = new Set(['static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select', 'multi_static_select', 'multi_external_select', 'multi_users_select', 'multi_conversations_select', 'multi_channels_select']);
const INTERACTIVE = new Set(['button', 'overflow', 'datepicker', 'timepicker', 'datetimepicker', 'checkboxes', 'radio_buttons', 'workflow_button', ...SELECTS]);

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Collector {
	readonly errors: string[] = [];
	add(reason: string, pointer: string): void {
		this.errors.push(`${reason} [json-pointer:${pointer}]`);
	}
}

function maxLen(c: Collector, value: unknown, max: number, pointer: string): void {
	if (typeof value === 'string' && value.length > max) c.add(`must be less than ${max + 1} characters`, pointer);
}

function str(c: Collector, o: Obj, key: string, pointer: string, opts: { required?: boolean; max?: number } = {}): void {
	const v = o[key];
	if (v === undefined) {
		if (opts.required) c.add(`missing required field: ${key}`, pointer);
		return;
	}
	if (typeof v !== 'string') return c.add('must provide a string', `${pointer}/${key}`);
	if (opts.required && v.length === 0) c.add('must be more than 0 characters', `${pointer}/${key}`);
	if (opts.max !== undefined) maxLen(c, v, opts.max, `${pointer}/${key}`);
}

function textObject(c: Collector, t: unknown, pointer: string, opts: { max: number; plainOnly?: boolean }): void {
	if (!isObj(t)) return c.add('must provide an object', pointer);
	if (t.type !== 'plain_text' && t.type !== 'mrkdwn') return c.add(`must be a valid enum value`, `${pointer}/type`);
	if (opts.plainOnly && t.type !== 'plain_text') return c.add('must be a valid enum value', `${pointer}/type`);
	if (typeof t.text !== 'string') return c.add('must provide a string', `${pointer}/text`);
	if (t.text.length === 0) c.add('must be more than 0 characters', `${pointer}/text`);
	maxLen(c, t.text, opts.max, `${pointer}/text`);
	if (t.type === 'mrkdwn' && t.emoji !== undefined) c.add('unexpected field: emoji', `${pointer}/emoji`);
}

function confirm(c: Collector, v: unknown, pointer: string): void {
	if (v === undefined) return;
	if (!isObj(v)) return c.add('must provide an object', pointer);
	for (const [k, max] of [['title', LIMITS.confirmTitle], ['confirm', LIMITS.confirmButton], ['deny', LIMITS.confirmButton]] as const) {
		if (v[k] === undefined) c.add(`missing required field: ${k}`, pointer);
		else textObject(c, v[k], `${pointer}/${k}`, { max, plainOnly: true });
	}
	if (v.text === undefined) c.add('missing required field: text', pointer);
	else textObject(c, v.text, `${pointer}/text`, { max: LIMITS.confirmText });
}

function options(c: Collector, v: unknown, pointer: string): void {
	if (!Array.isArray(v)) return c.add('must provide an array', pointer);
	if (v.length > LIMITS.options) c.add(`no more than ${LIMITS.options} items allowed`, pointer);
	v.forEach((o, i) => {
		const p = `${pointer}/${i}`;
		if (!isObj(o)) return c.add('must provide an object', p);
		if (o.text === undefined) c.add('missing required field: text', p);
		else textObject(c, o.text, `${p}/text`, { max: LIMITS.optionText });
		str(c, o, 'value', p, { max: LIMITS.optionValue });
	});
}

function element(c: Collector, e: unknown, pointer: string, actionIds: Set<string>): void {
	if (!isObj(e)) return c.add('must provide an object', pointer);
	if (typeof e.type !== 'string') return c.add('missing required field: type', pointer);
	if (!INTERACTIVE.has(e.type)) return c.add(`unsupported type: ${e.type}`, `${pointer}/type`);
	str(c, e, 'action_id', pointer, { max: LIMITS.actionId });
	if (typeof e.action_id === 'string') {
		if (actionIds.has(e.action_id)) c.add(`duplicate action_id: ${e.action_id}`, `${pointer}/action_id`);
		actionIds.add(e.action_id);
	}
	confirm(c, e.confirm, `${pointer}/confirm`);
	switch (e.type) {
		case 'button':
			if (e.text === undefined) c.add('missing required field: text', pointer);
			else textObject(c, e.text, `${pointer}/text`, { max: LIMITS.buttonText, plainOnly: true });
			str(c, e, 'value', pointer, { max: LIMITS.buttonValue });
			str(c, e, 'url', pointer, { max: LIMITS.buttonUrl });
			str(c, e, 'accessibility_label', pointer, { max: LIMITS.accessibilityLabel });
			if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') c.add('must be a valid enum value', `${pointer}/style`);
			break;
		case 'overflow':
			options(c, e.options, `${pointer}/options`);
			break;
		case 'checkboxes':
		case 'radio_buttons':
			options(c, e.options, `${pointer}/options`);
			break;
		default:
			if (e.type === 'static_select' || e.type === 'multi_static_select') {
				if (e.options === undefined && e.option_groups === undefined) c.add('missing required field: options', pointer);
				else if (e.options !== undefined) options(c, e.options, `${pointer}/options`);
			}
	}
}

function imageElement(c: Collector, e: Obj, pointer: string): void {
	if (e.slack_file === undefined) str(c, e, 'image_url', pointer, { required: true, max: LIMITS.imageUrl });
	str(c, e, 'alt_text', pointer, { required: true, max: LIMITS.altText });
}

function block(c: Collector, b: unknown, i: number, blockIds: Set<string>): void {
	const p = `/blocks/${i}`;
	if (!isObj(b)) return c.add('must provide an object', p);
	if (typeof b.type !== 'string') return c.add('missing required field: type', p);
	if (!BLOCK_TYPES.has(b.type)) return c.add(`unsupported type: ${b.type}`, `${p}/type`);
	str(c, b, 'block_id', p, { max: LIMITS.blockId });
	if (typeof b.block_id === 'string') {
		if (blockIds.has(b.block_id)) c.add(`duplicate block_id: ${b.block_id}`, `${p}/block_id`);
		blockIds.add(b.block_id);
	}
	const actionIds = new Set<string>();
	switch (b.type) {
		case 'section': {
			if (b.text === undefined && b.fields === undefined) c.add('must provide either text or fields', p);
			if (b.text !== undefined) textObject(c, b.text, `${p}/text`, { max: LIMITS.sectionText });
			if (b.fields !== undefined) {
				if (!Array.isArray(b.fields)) c.add('must provide an array', `${p}/fields`);
				else {
					if (b.fields.length > LIMITS.sectionFields) c.add(`no more than ${LIMITS.sectionFields} items allowed`, `${p}/fields`);
					b.fields.forEach((f, j) => textObject(c, f, `${p}/fields/${j}`, { max: LIMITS.sectionFieldText }));
				}
			}
			if (b.accessory !== undefined) {
				if (isObj(b.accessory) && b.accessory.type === 'image') imageElement(c, b.accessory, `${p}/accessory`);
				else element(c, b.accessory, `${p}/accessory`, actionIds);
			}
			break;
		}
		case 'header':
			if (b.text === undefined) c.add('missing required field: text', p);
			else textObject(c, b.text, `${p}/text`, { max: LIMITS.headerText, plainOnly: true });
			break;
		case 'divider':
			break;
		case 'image':
			imageElement(c, b, p);
			if (b.title !== undefined) textObject(c, b.title, `${p}/title`, { max: LIMITS.altText, plainOnly: true });
			break;
		case 'markdown':
			str(c, b, 'text', p, { required: true, max: LIMITS.markdownBlockText });
			break;
		case 'context':
			if (!Array.isArray(b.elements)) return c.add('missing required field: elements', p);
			if (b.elements.length === 0) c.add('must provide at least 1 items', `${p}/elements`);
			if (b.elements.length > LIMITS.contextElements) c.add(`no more than ${LIMITS.contextElements} items allowed`, `${p}/elements`);
			b.elements.forEach((e, j) => {
				const ep = `${p}/elements/${j}`;
				if (isObj(e) && e.type === 'image') imageElement(c, e, ep);
				else textObject(c, e, ep, { max: LIMITS.sectionText });
			});
			break;
		case 'actions':
			if (!Array.isArray(b.elements)) return c.add('missing required field: elements', p);
			if (b.elements.length === 0) c.add('must provide at least 1 items', `${p}/elements`);
			if (b.elements.length > LIMITS.actionsElements) c.add(`no more than ${LIMITS.actionsElements} items allowed`, `${p}/elements`);
			b.elements.forEach((e, j) => element(c, e, `${p}/elements/${j}`, actionIds));
			break;
		default:
			// rich_text / input / file / video: accepted as long as they are objects with a known type.
			break;
	}
}

/** Errors in Slack's wording; empty when the blocks are valid. */
export function validateBlocks(blocks: unknown[]): string[] {
	const c = new Collector();
	if (blocks.length > LIMITS.blocksPerMessage) c.add(`no more than ${LIMITS.blocksPerMessage} items allowed`, '/blocks');
	const blockIds = new Set<string>();
	blocks.forEach((b, i) => block(c, b, i, blockIds));
	return c.errors;
}

/**
 * Slack gives every block without a block_id a short random one, and echoes it in the stored message and in
 * interaction payloads; products that key on block_id must cope with ids they did not choose.
 */
export function assignBlockIds(blocks: unknown[], random: () => string): unknown[] {
	return blocks.map((b) => (isObj(b) && b.block_id === undefined ? { ...b, block_id: random() } : b));
}
