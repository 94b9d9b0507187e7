/**
 * The secret guard (seed 002, DESIGN §2 rule 4): Odoo holds references to secrets, never the secrets. Every value the
 * inventory writes passes through here first, so a password pasted into the wrong field is refused before anything
 * reaches Odoo.
 *
 * Two kinds of evidence, both cheap and local:
 * - the field's name (password, token, api_key…) when it holds a value, unless the name says the value is only
 *   about the secret (token_count, password_policy) or points at it (secret_ref holding a vault path);
 * - the value's shape, whatever the field is called: key material, well-known token formats, password hashes,
 *   credentials inside URLs, `password: …` in free text, and long random strings.
 *
 * The random-string test is tuned so that ordinary asset data (hostnames, FQDNs, URLs, IPs, MACs, versions, serials,
 * UUIDs, dates, paths) is never refused: separators split a value into pieces and only a long piece that switches
 * between upper case, lower case and digits like random data does is refused. Messages never repeat the value.
 */
import { InventoryInputError } from './types';

export const VAULT_PATH_EXAMPLE = 'vaultwarden://Collections/Homelab/pfsense_admin';
export const SECRET_FIX = `keep the secret in your vault and store its path, e.g. ${VAULT_PATH_EXAMPLE}`;

export interface SecretFinding {
	/** Where the value sits: `password`, `links[2].url`, `owner.token`. */
	field: string;
	/** What it looks like, without the value itself. */
	reason: string;
}

export class SecretValueError extends InventoryInputError {
	readonly findings: SecretFinding[];

	constructor(where: string, findings: SecretFinding[]) {
		const [first, ...rest] = findings;
		const more = rest.length > 0 ? ` (and ${rest.map((finding) => `'${finding.field}': ${finding.reason}`).join('; ')})` : '';
		super({
			field: first.field,
			message: `${where}: '${first.field}' looks like a secret (${first.reason})${more}; nothing was written to Odoo`,
			hint: SECRET_FIX,
		});
		this.name = 'SecretValueError';
		this.findings = findings;
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Field names

/** password, passwd, pwd… as whole words of a field name (split at _, -, camelCase). */
const SECRET_WORDS: Record<string, string> = {
	password: 'password',
	passwords: 'password',
	passwd: 'password',
	pwd: 'password',
	pw: 'password',
	pass: 'password',
	passcode: 'password',
	passphrase: 'passphrase',
	secret: 'secret',
	secrets: 'secret',
	token: 'token',
	tokens: 'token',
	apikey: 'API key',
	apikeys: 'API key',
	privatekey: 'private key',
	privkey: 'private key',
	secretkey: 'secret key',
	accesskey: 'access key',
	pin: 'PIN',
	otp: 'one-time password seed',
	totp: 'one-time password seed',
	hotp: 'one-time password seed',
	psk: 'pre-shared key',
	bearer: 'bearer token',
};

/** Word pairs that name a secret although neither word does alone. */
const SECRET_PAIRS: Array<[string[], string[], string]> = [
	[['api'], ['key', 'keys'], 'API key'],
	[['private', 'priv'], ['key', 'keys'], 'private key'],
	[['secret'], ['key', 'keys'], 'secret key'],
	[['access'], ['key', 'keys'], 'access key'],
	[['signing', 'encryption', 'master', 'shared', 'wpa', 'wifi', 'license', 'licence'], ['key', 'keys'], 'key'],
	[['recovery', 'backup'], ['code', 'codes', 'key', 'keys'], 'recovery code'],
	[['mfa', '2fa', 'otp', 'totp'], ['seed', 'key', 'secret'], 'one-time password seed'],
	[['snmp'], ['community'], 'SNMP community string'],
];

/** After the secret word, these say the field is about the secret, not the secret: token_count, password_policy. */
const ABOUT_WORDS = new Set([
	'count', 'counts', 'expiry', 'expires', 'expiration', 'expire', 'expired', 'expiring', 'at', 'date', 'on',
	'policy', 'policies', 'required', 'require', 'requires', 'enabled', 'enable', 'disabled', 'length', 'len', 'age',
	'rotated', 'rotation', 'rotate', 'changed', 'change', 'changes', 'updated', 'reset', 'set', 'type', 'kind', 'name',
	'label', 'owner', 'status', 'state', 'strength', 'valid', 'validity', 'scope', 'scopes', 'issuer', 'algorithm',
	'algo', 'usage', 'used', 'ttl', 'lifetime', 'days', 'interval', 'period', 'manager', 'provider', 'id', 'ids',
	'rules', 'complexity', 'format', 'version', 'versions', 'authentication',
]);
/** After the secret word, these say the field points at the secret: secret_ref, password_path (a vault URL is fine). */
const REFERENCE_WORDS = new Set(['ref', 'refs', 'reference', 'path', 'url', 'uri', 'link', 'location', 'file', 'vault', 'item', 'entry']);
/** Before the secret word: num_tokens, has_password, max_token_age. */
const ABOUT_PREFIXES = new Set(['num', 'n', 'has', 'is', 'count', 'max', 'min', 'no', 'uses', 'use', 'needs', 'with', 'without']);

/** Field name → lower-case words: "x_apiKey" → [x, api, key]; "APIKey" → [api, key]. */
export function fieldNameWords(name: string): string[] {
	return name
		.replace(/([a-z0-9])([A-Z])/g, '$1_$2')
		.replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter(Boolean);
}

interface SecretName {
	label: string;
	/** 'secret': the field holds the secret; 'reference': it holds a pointer to it; 'about': facts about it. */
	role: 'secret' | 'reference' | 'about';
}

function wordNamesSecret(word: string): string | undefined {
	if (SECRET_WORDS[word]) return SECRET_WORDS[word];
	// Run-together names: rootpassword, dbpasswd, clientsecret, authtoken, xapikey.
	for (const suffix of ['password', 'passwd', 'passphrase', 'secret', 'apikey', 'privatekey', 'token']) {
		if (word.length > suffix.length && word.endsWith(suffix)) return SECRET_WORDS[suffix];
	}
	if (/^(password|passwd|secret)s?[a-z]*$/.test(word) && !word.startsWith('secretar')) return word.startsWith('secret') ? 'secret' : 'password';
	return undefined;
}

/** What a field's name says about its value, or undefined when the name says nothing about secrets. */
export function classifyFieldName(name: string): SecretName | undefined {
	const words = fieldNameWords(name);
	let found: { label: string; start: number; end: number } | undefined;
	words.forEach((word, index) => {
		const label = wordNamesSecret(word);
		if (label) found = { label, start: index, end: index };
		if (index > 0) {
			for (const [firsts, seconds, pairLabel] of SECRET_PAIRS) {
				if (firsts.includes(words[index - 1]) && seconds.includes(word)) found = { label: pairLabel, start: index - 1, end: index };
			}
		}
	});
	if (!found) return undefined;
	const after = words.slice(found.end + 1);
	const before = words.slice(0, found.start);
	if (after.some((word) => ABOUT_WORDS.has(word)) || before.some((word) => ABOUT_PREFIXES.has(word))) return { label: found.label, role: 'about' };
	if (after.some((word) => REFERENCE_WORDS.has(word))) return { label: found.label, role: 'reference' };
	return { label: found.label, role: 'secret' };
}

// ---------------------------------------------------------------------------------------------------------------
// Values

const URL_RE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;
const URL_IN_TEXT_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
/** A host with a path but no scheme: docs.google.com/document/d/<id>/edit. */
const SCHEMELESS_URL_RE = /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?\/\S*$/i;
/** Masks and placeholders that stand in for a secret rather than being one. */
const PLACEHOLDER_RE = /^(\*+|x{3,}|•+|<[^>]*>|\[[^\]]*\]|\{\{.*\}\}|\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]*|%[A-Z_][A-Z0-9_]*%|redacted|hidden|n\/a|none|null|-+)$/i;

interface Pattern {
	re: RegExp;
	reason: string;
}

/** Shapes that are secrets wherever they appear, in any field, even inside longer text. */
const SECRET_PATTERNS: Pattern[] = [
	{ re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/, reason: 'a private key (PEM block)' },
	{ re: /PuTTY-User-Key-File-\d/, reason: 'a private key (PuTTY file)' },
	{ re: /AGE-SECRET-KEY-1[0-9A-Z]{20,}/, reason: 'a private key (age)' },
	{ re: /-----BEGIN [A-Z0-9 ]+-----/, reason: 'a certificate or key block (PEM)' },
	{ re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, reason: 'a JSON Web Token' },
	{ re: /\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/, reason: 'an AWS access key id' },
	{ re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/, reason: 'a Slack token' },
	{ re: /\bxapp-\d-[A-Za-z0-9-]{10,}/, reason: 'a Slack app token' },
	{ re: /hooks\.slack\.com\/(services|workflows|triggers)\/[A-Za-z0-9/_-]{20,}/, reason: 'a Slack webhook URL (the URL is the secret)' },
	{ re: /discord(app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{20,}/, reason: 'a Discord webhook URL (the URL is the secret)' },
	{ re: /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/, reason: 'a GitHub token' },
	{ re: /\bglpat-[A-Za-z0-9_-]{20,}/, reason: 'a GitLab token' },
	{ re: /\b(sk|rk)_(live|test)_[A-Za-z0-9]{16,}/, reason: 'a Stripe secret key' },
	{ re: /\bwhsec_[A-Za-z0-9+/]{20,}/, reason: 'a webhook signing secret' },
	{ re: /\bsk-(proj-|ant-[a-z0-9]+-)?[A-Za-z0-9_-]{20,}/, reason: 'an API secret key (sk-…)' },
	{ re: /\bAIza[0-9A-Za-z_-]{35}/, reason: 'a Google API key' },
	{ re: /\bnpm_[A-Za-z0-9]{36}\b/, reason: 'an npm token' },
	{ re: /\bpypi-AgE[A-Za-z0-9_-]{50,}/, reason: 'a PyPI token' },
	{ re: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/, reason: 'a SendGrid API key' },
	{ re: /\bhvs\.[A-Za-z0-9_-]{20,}/, reason: 'a HashiCorp Vault token' },
	{ re: /\btskey-[a-z]+-[A-Za-z0-9-]{16,}/, reason: 'a Tailscale key' },
	{ re: /\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b/, reason: 'a Telegram bot token' },
	{ re: /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/i, reason: 'a bearer token' },
	{ re: /\bBasic\s+[A-Za-z0-9+/]{12,}={0,2}(\s|$)/, reason: 'HTTP basic credentials' },
	{ re: /\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/, reason: 'a password hash (bcrypt)' },
	{ re: /\$argon2(id|i|d)\$/, reason: 'a password hash (Argon2)' },
	{ re: /\$(1|5|6)\$(rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{20,}/, reason: 'a password hash (crypt)' },
	{ re: /\$(y|gy|7)\$[./A-Za-z0-9]+\$[./A-Za-z0-9]+\$[./A-Za-z0-9]{20,}/, reason: 'a password hash (yescrypt/scrypt)' },
	{ re: /\bpbkdf2_sha(1|256|512)\$\d+\$/, reason: 'a password hash (PBKDF2)' },
	{ re: /(^|\s)\*[0-9A-F]{40}(\s|$)/, reason: 'a password hash (MySQL)' },
	{ re: /\botpauth:\/\/[^\s]*secret=/i, reason: 'a one-time password seed (otpauth URL)' },
];

/** `password: Summer2024!` in free text (runbooks, notes). */
const ASSIGNMENT_RE = /\b(password|passwd|pwd|pw|pass|passcode|passphrase|secret|client[_ -]?secret|api[_ -]?key|access[_ -]?token|token)\s*[:=]\s*(\S+)/gi;
const PIN_ASSIGNMENT_RE = /\bpin\s*[:=]\s*\d{4,8}\b/i;

/** Query (or fragment) parameters that carry credentials: ?token=…, #access_token=…, X-Amz-Signature=…. */
const CREDENTIAL_PARAMS = new Set([
	'token', 'access_token', 'id_token', 'refresh_token', 'auth', 'auth_token', 'api_key', 'apikey', 'key', 'secret',
	'client_secret', 'password', 'pass', 'passwd', 'pwd', 'sig', 'signature', 'x-amz-signature', 'x-amz-credential',
	'x-amz-security-token', 'sv', 'private_token', 'session', 'sessionid', 'jwt',
]);

/** Common first directories of absolute paths; a random string that happens to start with "/" has none of these. */
const PATH_ROOTS = new Set([
	'etc', 'var', 'usr', 'home', 'opt', 'srv', 'mnt', 'media', 'dev', 'tmp', 'root', 'data', 'backup', 'backups', 'run',
	'proc', 'sys', 'boot', 'lib', 'lib64', 'bin', 'sbin', 'nfs', 'storage', 'share', 'shares', 'volume', 'volumes',
	'volume1', 'users', 'library', 'applications', 'system', 'private', 'pool', 'tank', 'rpool', 'export', 'exports',
	'cluster', 'pve', 'vmfs', 'docker', 'config', 'configs', 'app', 'apps', 'web', 'www', 'logs', 'log',
]);

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
	if (text.length === 0) return 0;
	const counts = new Map<string, number>();
	for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
	let bits = 0;
	for (const count of counts.values()) {
		const p = count / text.length;
		bits -= p * Math.log2(p);
	}
	return bits;
}

function charClass(char: string): 'U' | 'L' | 'D' {
	if (char >= 'A' && char <= 'Z') return 'U';
	if (char >= 'a' && char <= 'z') return 'L';
	return 'D';
}

/** The commonest letter pairs of English (most frequent first): names made of words are mostly these; random data is not. */
const COMMON_BIGRAMS = new Set(
	(
		'th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ' +
		'ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot il tr ly nc et ut ss so rs un lo wa ge ie ' +
		'wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab ' +
		'gh ty op wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da yo cr cl du ' +
		'ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr eg au ck ew mu br bi pt ak pu ui rg ib tl ny ki rk ys ' +
		'ob mm fu ph og ms ye ud mb ip ub oi rl gu dr hr cc tw ft wn nu af hu nn eo vo rv nf xp gn sm fl iz ok nl my gl aw ju oa ' +
		'eq sy sl ps jo lf nv je nk kn gs dy hy ze ks xt bj ym ox'
	).split(' '),
);

/** CamelCase made of words (HomelabProxmoxClusterNode01): most letters in words whose letter pairs are common in English. */
function readsLikeWords(alnum: string, ratio: number): boolean {
	const words = alnum.match(/[A-Z]?[a-z]{2,}/g) ?? [];
	let pairs = 0;
	let common = 0;
	let wordLetters = 0;
	for (const word of words) {
		const lower = word.toLowerCase();
		wordLetters += lower.length;
		for (let index = 1; index < lower.length; index++) {
			pairs++;
			if (COMMON_BIGRAMS.has(lower.slice(index - 1, index + 1))) common++;
		}
	}
	const letters = alnum.replace(/\d/g, '').length;
	const vowels = words.join('').replace(/[^aeiouyAEIOUY]/g, '').length;
	// Names have at most one acronym (NAS, DL); random data has runs of capitals all over.
	const acronyms = (alnum.match(/[A-Z]{2,}/g) ?? []).length;
	// English words are about 40% vowels; random letters about 23%.
	return acronyms <= 1 && pairs >= 8 && common / pairs >= ratio && wordLetters / letters >= 0.7 && vowels / wordLetters >= 0.3;
}

/**
 * A long piece of a value that reads like random data: ≥ 20 characters, high entropy, and switching between upper
 * case, lower case and digits the way random data does (about every other character; human identifiers switch at
 * word boundaries). Measured on random base64 of 24+ characters: none of 400 000 missed.
 */
export function looksRandom(piece: string): boolean {
	if (piece.length < 20) return false;
	const alnum = piece.replace(/[^A-Za-z0-9]/g, '');
	if (alnum.length < 16) return false;
	const classes = new Set([...alnum].map(charClass));
	if (classes.size < 2 || shannonEntropy(piece) < 3.2) return false;
	let runs = 1;
	for (let index = 1; index < alnum.length; index++) if (charClass(alnum[index]) !== charClass(alnum[index - 1])) runs++;
	const switching = runs / alnum.length;
	// Mixed case is the strongest sign of base64; lower case and digits alone (pve01backup2024june) need more switching.
	if (switching >= (classes.has('U') && classes.has('L') ? 0.2 : 0.3)) return !(switching <= 0.45 && readsLikeWords(alnum, 0.8));
	// Random data that by chance stays in one class for long stretches still has no words in it.
	return piece.length >= 24 && shannonEntropy(piece) >= 3.8 && !readsLikeWords(alnum, 0.7);
}

/** Words of a text: whitespace, quotes, brackets and HTML/markdown punctuation split; sentence punctuation trimmed. */
function wordsOf(text: string): string[] {
	return text
		.split(/[\s<>"'`()[\]{}|,;]+/)
		.map((word) => word.replace(/[.,:;!?]+$/, ''))
		.filter((word) => word.length > 0);
}

function urlFindings(url: string): string | undefined {
	if (/^[a-z][a-z0-9+.-]*:\/\/[^/\s@?#]*:[^/\s@?#]*@/i.test(url)) return 'a URL carrying a password (user:password@)';
	const paramText = [url.split('?')[1]?.split('#')[0], url.split('#')[1]].filter(Boolean).join('&');
	for (const pair of paramText.split(/[&;]/)) {
		const [rawName, ...rest] = pair.split('=');
		const value = rest.join('=');
		let name = rawName;
		try {
			name = decodeURIComponent(rawName);
		} catch {
			// a malformed escape is judged as written
		}
		if (value && !PLACEHOLDER_RE.test(value) && (CREDENTIAL_PARAMS.has(name.toLowerCase()) || classifyFieldName(name)?.role === 'secret')) {
			return `a URL carrying a credential in its '${name}' parameter`;
		}
	}
	return undefined;
}

function passwordLike(candidate: string): boolean {
	const value = candidate.replace(/^["']|["']$/g, '');
	if (value.length < 6 || PLACEHOLDER_RE.test(value) || /^(\$|%|\{\{|<|\[)/.test(value) || URL_RE.test(value)) return false;
	let kinds = 0;
	if (/[a-z]/.test(value)) kinds++;
	if (/[A-Z]/.test(value.slice(1))) kinds++;
	if (/\d/.test(value)) kinds++;
	if (/[^A-Za-z0-9\-_.]/.test(value)) kinds++;
	return kinds >= 2;
}

/**
 * Fields that hold identifiers chosen by machines (serial numbers, WWNs, checksums, vault item ids): random-looking by
 * nature, so only the secret formats are looked for in them, not randomness.
 */
const IDENTIFIER_WORDS = new Set(['serial', 'sn', 'tag', 'wwn', 'wwpn', 'iqn', 'uuid', 'guid', 'id', 'ids', 'checksum', 'sha', 'sha1', 'sha256', 'sha512', 'md5', 'digest', 'fingerprint', 'commit', 'etag', 'build']);

/** Why a text value looks like a secret, or undefined. Public keys and key fingerprints are not secrets. */
export function secretReasonOfText(text: string, options: { identifier?: boolean } = {}): string | undefined {
	for (const { re, reason } of SECRET_PATTERNS) if (re.test(text)) return reason;
	const withoutPublicKeys = text.replace(/\b(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)\s+AAAA[A-Za-z0-9+/]+=*/g, ' ');
	// URLs first and whole (their paths hold document ids, which are random and fine); then the words around them.
	let rest = withoutPublicKeys;
	for (const [url] of withoutPublicKeys.matchAll(URL_IN_TEXT_RE)) {
		const reason = urlFindings(url.replace(/[.,:;!?)\]]+$/, ''));
		if (reason) return reason;
		rest = rest.replace(url, ' ');
	}
	if (!options.identifier) {
		for (const word of wordsOf(rest)) {
			if (SCHEMELESS_URL_RE.test(word) || /^(SHA256|SHA384|SHA512|SHA1|MD5):/i.test(word) || /^[^@\s]+@[^@\s]+$/.test(word)) continue;
			const rooted = /^(~\/|\.\.?\/|[A-Za-z]:\\|\\\\)/.test(word) || (word.startsWith('/') && PATH_ROOTS.has(word.split('/')[1]?.toLowerCase() ?? ''));
			const pieces = word.replace(/%[0-9A-Fa-f]{2}/g, '').split(rooted ? /[.:@_\-/\\]+/ : /[.:@_-]+/);
			if (pieces.some(looksRandom)) return 'a long random string (like a key or token)';
		}
	}
	ASSIGNMENT_RE.lastIndex = 0;
	for (let match = ASSIGNMENT_RE.exec(rest); match; match = ASSIGNMENT_RE.exec(rest)) {
		if (passwordLike(match[2])) return `text that sets a ${match[1].toLowerCase()} ("${match[1]}: …")`;
	}
	if (PIN_ASSIGNMENT_RE.test(rest)) return 'text that sets a PIN';
	return undefined;
}

function isEmpty(value: unknown): boolean {
	if (value === null || value === undefined || value === false) return true;
	if (typeof value === 'string') return value.trim() === '' || PLACEHOLDER_RE.test(value.trim());
	if (Array.isArray(value)) return value.every(isEmpty);
	if (typeof value === 'object' && !(value instanceof Date)) return Object.values(value as Record<string, unknown>).every(isEmpty);
	return false;
}

function looksLikeReference(value: unknown): boolean {
	return typeof value === 'string' && (URL_RE.test(value.trim()) || /^(\/|~\/|\.\.?\/|[A-Za-z]:\\)/.test(value.trim()));
}

/** A leaf inside `password: {…}`: the secret itself unless its own name says it is about it (policy) or points at it. */
function inherit(key: string, parent: SecretName): SecretName {
	const words = fieldNameWords(key);
	if (words.some((word) => ABOUT_WORDS.has(word))) return { label: parent.label, role: 'about' };
	if (words.some((word) => REFERENCE_WORDS.has(word))) return { label: parent.label, role: 'reference' };
	return parent;
}

function walk(value: unknown, path: string, key: string, name: SecretName | undefined, out: SecretFinding[], seen: WeakSet<object>): void {
	if (value === null || value === undefined || typeof value === 'boolean' || value instanceof Date) return;
	if (typeof value === 'object') {
		if (seen.has(value)) return;
		seen.add(value);
		if (Array.isArray(value)) {
			// `recovery_codes: [...]` is one secret field, reported once.
			if (name?.role === 'secret' && value.some((item) => (typeof item === 'string' || typeof item === 'number') && !isEmpty(item) && !looksLikeReference(item))) {
				out.push({ field: path, reason: `a field named like a ${name.label} holding a value` });
				return;
			}
			value.forEach((item, index) => walk(item, `${path}[${index}]`, key, name, out, seen));
			return;
		}
		for (const [childKey, child] of Object.entries(value as Record<string, unknown>)) {
			// Inside `password: {…}` every leaf is the password unless its own name says otherwise (policy, vault_path).
			const childName = classifyFieldName(childKey) ?? (name?.role === 'secret' ? inherit(childKey, name) : undefined);
			walk(child, path ? `${path}.${childKey}` : childKey, childKey, childName, out, seen);
		}
		return;
	}
	const text = typeof value === 'string' ? value : undefined;
	if (text !== undefined) {
		const reason = secretReasonOfText(text, { identifier: !name && fieldNameWords(key).some((word) => IDENTIFIER_WORDS.has(word)) });
		if (reason) {
			out.push({ field: path, reason });
			return;
		}
	}
	if (!name || name.role === 'about' || isEmpty(value)) return;
	// A vault path or URL in a field named like a secret is the reference we want, not the secret.
	if (looksLikeReference(value)) return;
	if (typeof value === 'number' && name.role === 'reference') return;
	out.push({
		field: path,
		reason: name.role === 'reference' ? `named as a ${name.label} reference but not holding a vault path or URL` : `a field named like a ${name.label} holding a value`,
	});
}

/** Every value of `values` (walked through nested objects and arrays) that looks like a secret, with why. */
export function findSecretLikeValues(values: Record<string, unknown>): SecretFinding[] {
	const findings: SecretFinding[] = [];
	walk(values, '', '', undefined, findings, new WeakSet());
	return findings;
}

/** Throws a SecretValueError naming the field, why it looks secret and the fix; `where` says which input it was. */
export function assertNoSecrets(values: Record<string, unknown>, where: string): void {
	const findings = findSecretLikeValues(values);
	if (findings.length > 0) throw new SecretValueError(where, findings);
}
