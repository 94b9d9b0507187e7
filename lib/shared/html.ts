/** Text made safe inside Odoo HTML fields (chatter bodies, descriptions) and Block Kit-free HTML pages. */
export function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
