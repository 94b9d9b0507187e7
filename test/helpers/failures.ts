import { OdooError } from '../../lib/odoo/errors';

/** The error a synchronous call throws; fails the test when it throws nothing. */
export function errorOf<E = Error>(fn: () => unknown): E {
	try {
		fn();
	} catch (error) {
		return error as E;
	}
	throw new Error('expected an error');
}

/** The OdooError a call rejects with; fails the test when it succeeds or rejects with something else. */
export async function failure(promise: Promise<unknown>): Promise<OdooError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(OdooError);
		return error as OdooError;
	}
	throw new Error('expected a failure');
}
