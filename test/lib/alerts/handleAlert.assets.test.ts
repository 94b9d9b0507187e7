/**
 * Asset linking on a Community database: no ov.asset, the inventory in maintenance.equipment as the Odoo Ops
 * Inventory node keeps it (hostname and IP in x_ fields). Prometheus instances carry the exporter's port and Uptime
 * Kuma monitors a URL; both must still find the asset.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { handleAlert, normaliseAlerts, type CanonicalAlert } from '../../../lib/alerts';
import { ensureAssetFields, resolveAssetHome, upsertAssets } from '../../../lib/inventory/assets';
import { createOdooClient } from '../../../lib/odoo';
import type { OdooClient } from '../../../lib/odoo/types';
import { startOdooSandbox, type OdooSandbox } from '../../sandboxes/odoo';

let sandbox: OdooSandbox;
const client = (): OdooClient => createOdooClient({ url: sandbox.url, db: sandbox.db, login: 'admin', secret: 'admin', protocol: 'jsonrpc', retryBaseMs: 1, maxRetries: 2 });
const ids: Record<string, number> = {};

function alertFor(instance: string, fingerprint: string): CanonicalAlert {
	const payload = JSON.parse(readFileSync(join(__dirname, '../../fixtures/alerts/alertmanager-firing.json'), 'utf8'));
	payload.alerts = [{ ...payload.alerts[0], labels: { ...payload.alerts[0].labels, instance }, fingerprint }];
	return normaliseAlerts(payload).alerts[0];
}

beforeAll(async () => {
	sandbox = await startOdooSandbox({ governance: false });
	sandbox.setClock(new Date('2026-11-28T21:00:00Z'));
	const odoo = client();
	const home = await resolveAssetHome(odoo);
	expect(home.model).toBe('maintenance.equipment');
	await ensureAssetFields(odoo, home);
	const results = await upsertAssets(odoo, home, [
		{ name: 'Proxmox node 1', hostname: 'pve01.lab', ip: '10.0.10.11', kind: 'compute' },
		{ name: 'Monitoring VM', hostname: 'mon01.lab', ip: '10.0.20.40', kind: 'vm' },
	]);
	[ids.pve01, ids.mon01] = results.map((result) => result.id);
});
afterAll(async () => {
	await sandbox.close();
});

describe('linking the alert to an inventory asset in maintenance.equipment', () => {
	it('matches the hostname of a Prometheus instance with its exporter port', async () => {
		const result = await handleAlert(client(), alertFor('pve01.lab:9100', 'aa01'), { now: new Date('2026-11-28T21:00:00Z') });
		expect(result.asset).toEqual({ model: 'maintenance.equipment', id: ids.pve01, name: 'Proxmox node 1' });
		const ticket = sandbox.records('helpdesk.ticket').find((t) => t.id === result.ticketId)!;
		expect(Object.entries(ticket).find(([field, value]) => field !== 'id' && value === ids.pve01 && field.includes('asset'))).toBeDefined();
	});

	it('matches an IP address, and a URL by its host', async () => {
		expect((await handleAlert(client(), alertFor('10.0.20.40:9100', 'aa02'), { now: new Date('2026-11-28T21:01:00Z') })).asset?.id).toBe(ids.mon01);
		expect((await handleAlert(client(), alertFor('https://mon01.lab/grafana', 'aa03'), { now: new Date('2026-11-28T21:02:00Z') })).asset?.id).toBe(ids.mon01);
	});

	it('links nothing when no asset matches, and says nothing is wrong', async () => {
		const result = await handleAlert(client(), alertFor('unknown-host:9100', 'aa04'), { now: new Date('2026-11-28T21:03:00Z') });
		expect(result.asset).toBeNull();
		expect(result.warnings ?? []).toEqual([]);
	});
});
