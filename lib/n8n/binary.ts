import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import type { AttachmentInput } from '../odoo/types';

/** Reads an input item's binary property into the base64 shape `ir.attachment.datas` takes. */
export async function binaryToAttachment(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	fileNameOverride?: string,
): Promise<AttachmentInput> {
	// assertBinaryData throws n8n's own error naming the missing property and the item.
	const meta = context.helpers.assertBinaryData(itemIndex, propertyName);
	const buffer = await context.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	return {
		name: fileNameOverride || meta.fileName || `${propertyName}${meta.fileExtension ? `.${meta.fileExtension}` : ''}`,
		datas: buffer.toString('base64'),
		mimetype: meta.mimeType,
	};
}

/** Turns a read `ir.attachment` (datas in base64) into n8n binary data, stored by n8n's binary data manager. */
export async function attachmentToBinary(
	context: IExecuteFunctions,
	attachment: { datas?: unknown; name?: unknown; mimetype?: unknown },
): Promise<IBinaryData> {
	const datas = typeof attachment.datas === 'string' ? attachment.datas : '';
	const name = typeof attachment.name === 'string' ? attachment.name : 'attachment';
	const mimetype = typeof attachment.mimetype === 'string' ? attachment.mimetype : undefined;
	return await context.helpers.prepareBinaryData(Buffer.from(datas, 'base64'), name, mimetype);
}
