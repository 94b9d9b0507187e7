import { createHash } from 'node:crypto';

import fc from 'fast-check';

import { assertNoSecrets, findSecretLikeValues, SecretValueError, VAULT_PATH_EXAMPLE } from '../../../lib/inventory/secrets';
import { InventoryInputError } from '../../../lib/inventory/types';

const refused = (values: Record<string, unknown>) => findSecretLikeValues(values).map((finding) => finding.field);

describe('findSecretLikeValues: refused by the field name', () => {
	it.each([
		['password', 'hunter2'],
		['admin_password', 'correct horse battery staple'],
		['rootPw', 'x'],
		['passwd', 'letmein'],
		['pwd', 'abc'],
		['secret', 'anything'],
		['client_secret', 'abc'],
		['token', 'abc'],
		['accessToken', 'abc'],
		['api_key', 'abc'],
		['apiKey', 'abc'],
		['APIKey', 'abc'],
		['x-api-key', 'abc'],
		['private_key', 'abc'],
		['passphrase', 'a long phrase'],
		['pin', 4821],
		['sim_pin', '1234'],
		['totp_seed', 'JBSWY3DPEHPK3PXP'],
		['otp', '123456'],
		['snmp_community', 'public'],
		['wifi_key', 'abc'],
		['recovery_codes', ['a1b2', 'c3d4']],
	])('%s', (field, value) => {
		expect(refused({ [field]: value })).toEqual([field]);
	});

	it('allows names that are about the secret, and empty or masked values', () => {
		expect(
			findSecretLikeValues({
				vault_path: VAULT_PATH_EXAMPLE,
				rotation_policy: 'quarterly',
				mfa_required: true,
				token_count: 3,
				password_policy: 'min 16 chars',
				password_last_changed: '2026-01-04',
				num_tokens: 2,
				has_password: true,
				password_required: 'yes',
				secret_name: 'pfsense_admin',
				api_key_expires_at: '2026-12-31',
				password: '',
				token: null,
				pin: '****',
				apiKey: '<from vault>',
				client_secret: undefined,
				passwordless: false,
			}),
		).toEqual([]);
	});

	it('allows a vault path in a field named like a secret or its reference, refuses anything else there', () => {
		expect(refused({ secret_ref: 'vaultwarden://Collections/Homelab/pfsense_admin', password: 'op://Homelab/pfsense/password', api_key_path: 'vault://secret/data/stripe' })).toEqual([]);
		expect(findSecretLikeValues({ secret_ref: 'hunter2' })).toEqual([{ field: 'secret_ref', reason: expect.stringContaining('not holding a vault path') }]);
	});

	it('walks nested objects and arrays and names the path', () => {
		expect(refused({ asset: { name: 'fw01', login: { user: 'admin', password: 'pw' } }, links: ['https://wiki.lab/fw01', 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB'] })).toEqual([
			'asset.login.password',
			'links[1]',
		]);
		// Inside a secret-named object every leaf is the secret, unless its own name says otherwise.
		expect(refused({ credentials: { password: { value: 'x', policy: 'yearly' } } })).toEqual(['credentials.password.value']);
	});

	it('survives cycles', () => {
		const looped: Record<string, unknown> = { name: 'fw01' };
		looped.self = looped;
		expect(findSecretLikeValues(looped)).toEqual([]);
	});
});

describe('findSecretLikeValues: refused by the value, whatever the field is called', () => {
	const pem = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', '-----END OPENSSH PRIVATE KEY-----'].join('\n');
	it.each([
		[pem, 'private key'],
		['-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----', 'private key'],
		['-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE\n-----END CERTIFICATE-----', 'PEM'],
		['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'JSON Web Token'],
		['AKIAIOSFODNN7EXAMPLE', 'AWS'],
		['xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'Slack'],
		['https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'Slack webhook'],
		['ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', 'GitHub'],
		['sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'Stripe'],
		['$2b$12$KIXQJQkq1iJrZb0p1e0bUeQ0uW6v8Wq0w1gM9f5yXr0bQ3c9h6Y1e', 'bcrypt'],
		['$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG', 'Argon2'],
		['$6$rounds=5000$saltsalt$K7xVt5mFYLbm3b7hUuBTc1GmJ6zv9sMZ4x5yQ0r7nWl3p8dTz9', 'crypt'],
		['https://admin:Sup3rS3cret@pfsense.lab.example.com/', 'user:password@'],
		['https://grafana.lab/api/dashboards?token=abc123def', "'token' parameter"],
		['otpauth://totp/Homelab:admin?secret=JBSWY3DPEHPK3PXP&issuer=Homelab', 'one-time password'],
		['Authorization: Bearer abcdefghijklmnop1234567890', 'bearer'],
		['Login as root, password: Summer2024!', 'sets a password'],
		['wg private key 8ASmF2Hn+lGpoQp1UpQ3y9cY1y6N3PGsGRk0OeIl0Fw=', 'random'],
		['Qm9vdHN0cmFwVG9rZW4tNWY4YzJhN2I5ZDFl', 'random'],
		['f3a9c27be1d04c8a9e6b5d2f7a1c3e8b9d0f4a6c', 'random'],
	])('%#: %s', (value, reason) => {
		const findings = findSecretLikeValues({ notes: value });
		expect(findings).toEqual([{ field: 'notes', reason: expect.stringContaining(reason) }]);
	});

	it.each([
		'pve-node01.lab.example.com',
		'Proxmox VE 8.2.4',
		'AA:BB:CC:DD:EE:FF',
		'aa-bb-cc-dd-ee-ff',
		'SN-8C2A-771F',
		'10.20.0.5',
		'2001:db8:85a3::8a2e:370:7334',
		'https://docs.google.com/document/d/1aBcD3fGh1JkLmNoPqRsTuVwXyZ0123456789AbCdE/edit',
		'https://pve01.lab.example.com:8006/#v1:0:=qemu%2F100:4:5:=jsconsole',
		VAULT_PATH_EXAMPLE,
		'op://Homelab/qz7rj2bx5kq3mfn4w6yt8pa9hc/password',
		'123e4567-e89b-12d3-a456-426614174000',
		'2026-06-01T03:00:00Z',
		'/var/lib/vz/images/100/vm-100-disk-0.qcow2',
		'/dev/disk/by-id/nvme-Samsung_SSD_980_PRO_1TB_S5GXNF0R123456A',
		'C:\\ProgramData\\Microsoft\\Windows\\Start Menu',
		'ESXi-7.0U3n-21930508-standard',
		'Windows Server 2022 Datacenter 21H2 (OS Build 20348.2655)',
		'MikroTik CRS326-24G-2S+ RouterOS 7.15.3',
		'FortiGate-60F v7.2.8 build1639 (GA.M)',
		'HomelabProxmoxClusterNode01',
		'WindowsServer2022Datacenter',
		'ubuntu-24.04.1-live-server-amd64.iso',
		'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
		'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@pve',
		'Password: stored in Vaultwarden under Collections/Homelab/pfsense_admin',
		'Log in as root with the password from vaultwarden://Collections/Homelab/pve_root, then run apt full-upgrade.',
		'export PGPASSWORD=$DB_PASSWORD',
		'ops-team@example.com',
	])('allows %s', (value) => {
		expect(findSecretLikeValues({ notes: value })).toEqual([]);
	});

	it('does not look for randomness in identifier fields, but still for secret formats', () => {
		expect(findSecretLikeValues({ serial: 'MXL1234ABC5DEF67890Z', wwn: 'naa.6000c29a1b2c3d4e5f60718293a4b5c6', checksum: 'f3a9c27be1d04c8a9e6b5d2f7a1c3e8b9d0f4a6c' })).toEqual([]);
		expect(refused({ serial: 'AKIAIOSFODNN7EXAMPLE' })).toEqual(['serial']);
	});
});

describe('assertNoSecrets', () => {
	it('names the field, the reason and the fix, and never repeats the value', () => {
		let caught: unknown;
		try {
			assertNoSecrets({ hostname: 'fw01', admin_password: 'Tr0ub4dor&3' }, "Asset 1 ('fw01')");
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(SecretValueError);
		expect(caught).toBeInstanceOf(InventoryInputError);
		const error = caught as SecretValueError;
		expect(error.field).toBe('admin_password');
		expect(error.message).toContain("Asset 1 ('fw01'): 'admin_password' looks like a secret (a field named like a password holding a value)");
		expect(error.message).toContain('keep the secret in your vault and store its path, e.g. vaultwarden://Collections/Homelab/pfsense_admin');
		expect(error.message).not.toContain('Tr0ub4dor');
	});

	it('lists every offending field', () => {
		expect(() => assertNoSecrets({ token: 'a', notes: 'AKIAIOSFODNN7EXAMPLE' }, 'Input')).toThrow(/'token'.*and 'notes': an AWS access key id/);
	});

	it('passes clean values', () => {
		expect(() => assertNoSecrets({ name: 'fw01', ip: '10.0.0.1' }, 'Input')).not.toThrow();
	});
});

// ---------------------------------------------------------------------------------------------------------------
// Properties

/** Uniform random bytes (fast-check's default bias would hand us "AAAA…", which is not a secret). */
const randomBase64 = fc.noBias(fc.uint8Array({ minLength: 18, maxLength: 96 })).map((bytes) => Buffer.from(bytes).toString('base64'));

const pemBlock = fc
	.tuple(fc.constantFrom('RSA ', 'EC ', 'OPENSSH ', 'ENCRYPTED ', 'DSA ', ''), fc.noBias(fc.uint8Array({ minLength: 32, maxLength: 256 })))
	.map(([kind, bytes]) => {
		const body = Buffer.from(bytes).toString('base64').replace(/(.{64})/g, '$1\n');
		return `-----BEGIN ${kind}PRIVATE KEY-----\n${body}\n-----END ${kind}PRIVATE KEY-----\n`;
	});

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,9}(-[a-z0-9]{1,8}){0,2}$/);
const hostname = fc.tuple(label, fc.integer({ min: 1, max: 99 })).map(([name, n]) => `${name}${String(n).padStart(2, '0')}`);
const fqdn = fc.tuple(hostname, fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'net', 'lan', 'local', 'io', 'internal')).map(([h, mid, tld]) => [h, ...mid, tld].join('.'));
const mac = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }).chain((bytes) =>
	fc.constantFrom(':', '-').map((sep) => bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(sep)),
);
const hex4 = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16).toUpperCase().padStart(4, '0'));
const serial = fc.tuple(fc.constantFrom('SN', 'S/N', 'CN', 'FOC'), hex4, hex4).map(([p, a, b]) => `${p}-${a}-${b}`);
const version = fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 2, maxLength: 4 }).map((parts) => parts.join('.'));
const osString = fc
	.tuple(fc.constantFrom('Proxmox VE', 'Debian GNU/Linux', 'Ubuntu', 'Windows Server', 'pfSense CE', 'RouterOS', 'TrueNAS SCALE', 'VMware ESXi', 'FortiOS', 'Rocky Linux'), version)
	.map(([os, v]) => `${os} ${v}`);
const isoDate = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const vaultPath = fc
	.tuple(fc.constantFrom('vaultwarden', 'bitwarden', 'vault', 'op', 'keepass', 'aws-sm', 'azure-kv'), fc.array(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,15}$/), { minLength: 1, maxLength: 4 }))
	.map(([scheme, parts]) => `${scheme}://${parts.join('/')}`);
const purpose = fc.array(fc.constantFrom('core', 'switch', 'for', 'the', 'lab', 'backup', 'target', 'hypervisor', 'node', 'of', 'rack', 'A', 'VLAN', '20', 'DMZ', 'firewall', 'edge', 'router'), { minLength: 1, maxLength: 12 }).map((w) => w.join(' '));
const benignAsset = fc.record({
	name: fc.oneof(hostname, fc.constant('Core switch 1'), purpose),
	hostname: fc.oneof(hostname, fqdn),
	ip: fc.oneof(fc.ipV4(), fc.ipV6()),
	vlan: fc.integer({ min: 1, max: 4094 }),
	mac,
	serial,
	os: osString,
	osVersion: version,
	purpose,
	docsUrl: fc.webUrl(),
	lastPatched: isoDate,
	patchGroup: fc.constantFrom('wave-1', 'wave-2', 'critical', 'lab', 'Tuesday night'),
	kind: fc.constantFrom('network', 'compute', 'vm', 'endpoint', 'other'),
	id: fc.uuid(),
	vaultPath,
	notes: fc.oneof(purpose, fc.constant('Password: see vault')),
});

describe('properties', () => {
	it('refuses random base64 of 24+ characters in any field', () => {
		fc.assert(
			fc.property(randomBase64, fc.constantFrom('notes', 'name', 'purpose', 'hostname', 'x_misc'), (secret, field) => {
				expect(findSecretLikeValues({ [field]: secret }).map((finding) => finding.field)).toEqual([field]);
			}),
			{ numRuns: Number(process.env.SECRET_GUARD_RUNS ?? 300) },
		);
	});

	it('refuses PEM private keys, even inside longer text', () => {
		fc.assert(
			fc.property(pemBlock, purpose, (pem, text) => {
				expect(findSecretLikeValues({ notes: `${text}\n${pem}` })).toEqual([{ field: 'notes', reason: expect.stringContaining('private key') }]);
			}),
		);
	});

	it('never refuses ordinary asset data', () => {
		fc.assert(
			fc.property(benignAsset, (asset) => {
				expect(findSecretLikeValues(asset)).toEqual([]);
			}),
			{ numRuns: Number(process.env.SECRET_GUARD_RUNS ?? 500) },
		);
	});

	it('measured on a fixed set: none of 20 000 random base64 secrets slips through', () => {
		// Deterministic bytes (a hash chain) so this is a fixed check, not a flaky one.
		const bytes = (i: number, length: number) => Buffer.concat([0, 1, 2].map((n) => createHash('sha256').update(`secret-${i}-${n}`).digest())).subarray(0, length);
		let missed = 0;
		for (let i = 0; i < 20_000; i++) {
			const secret = bytes(i, 18 + (i % 40)).toString('base64');
			if (findSecretLikeValues({ notes: secret }).length === 0) missed++;
		}
		expect(missed).toBe(0);
	});
});
