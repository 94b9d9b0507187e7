import type { Asset } from '../../../lib/inventory/types';

/** A homelab asset as the asset home returns it (ids in maintenance.equipment); facts override the defaults. */
export function asset(id: number, name: string, facts: Partial<Asset> = {}): Asset {
	return {
		id,
		model: 'maintenance.equipment',
		name,
		hostname: `${name}.lan`,
		ip: `10.0.10.${id}`,
		vlan: '10',
		os: 'Debian',
		osVersion: '12',
		owner: { id: 2, name: 'Mitchell Admin' },
		purpose: null,
		docsUrl: null,
		lastPatched: null,
		patchGroup: 'linux',
		kind: 'vm',
		...facts,
	};
}
