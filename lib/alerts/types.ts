/**
 * The canonical alert every monitoring source is turned into. Ticket handling only ever sees this shape, so a new
 * source is one normaliser, not a change to the ticket logic.
 */

export type AlertSource = 'alertmanager' | 'grafana' | 'uptime-kuma' | 'generic';
export type AlertStatus = 'firing' | 'resolved';
export type AlertSeverity = 'critical' | 'error' | 'warning' | 'info';
export type DedupeScope = 'series' | 'group';

export interface AlertLinks {
	generator: string | null;
	dashboard: string | null;
	panel: string | null;
	silence: string | null;
}

export interface AssetHint {
	instance: string | null;
	host: string | null;
	job: string | null;
}

export interface CanonicalAlert {
	source: AlertSource;
	/** What a ticket is keyed on: `<source>:<fingerprint>` per series, `<source>:group:<sha256>` per group. */
	dedupeKey: string;
	status: AlertStatus;
	severity: AlertSeverity;
	summary: string;
	description: string;
	labels: Record<string, string>;
	annotations: Record<string, string>;
	/** ISO 8601, or null when the source does not say. */
	startsAt: string | null;
	/** ISO 8601; null while firing (Alertmanager sends 0001-01-01T00:00:00Z then). */
	endsAt: string | null;
	links: AlertLinks;
	assetHint: AssetHint;
	fingerprint: string;
	groupKey: string | null;
	/** The source's own record of this alert, untouched, for inspection and for anything we do not map. */
	raw: unknown;
}

export interface NormaliseResult {
	source: AlertSource;
	alerts: CanonicalAlert[];
	warnings: string[];
	/** A connectivity test from the monitoring tool (e.g. Uptime Kuma's "Test" button): never a ticket. */
	test: boolean;
	testMessage?: string;
}

/** Dotted paths (with [n] indexes) into a generic JSON body. Only `status` is required. */
export interface GenericPaths {
	status: string;
	key?: string;
	summary?: string;
	description?: string;
	severity?: string;
	startsAt?: string;
	endsAt?: string;
	labels?: string;
	instance?: string;
	host?: string;
	job?: string;
	link?: string;
	dashboard?: string;
	groupKey?: string;
	/** Path to an array of alerts inside the body; the other paths are then relative to each element. */
	alerts?: string;
}

export interface NormaliseOptions {
	/** Force a source instead of detecting it from the body. */
	source?: AlertSource | 'auto';
	dedupeBy?: DedupeScope;
	generic?: GenericPaths;
	/** Values of the generic status field that mean firing / resolved, in addition to the usual words. */
	firingValues?: string[];
	resolvedValues?: string[];
	/** Severity used when the source gives none. Default: 'warning'. */
	defaultSeverity?: AlertSeverity;
}
