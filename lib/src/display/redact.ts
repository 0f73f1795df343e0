/**
 * The last guard before anything reaches a display: whatever code returns (a presigned URL, a
 * request dump) is shown with signatures, credentials and tokens replaced by "…". A presigned
 * URL is a password for one object until it expires.
 */
// A query parameter, also inside HTML, where "&" is escaped.
const SECRET_QUERY = /((?:[?&]|&amp;|&#38;)(?:X-Amz-(?:Signature|Credential|Security-Token)|Signature|AWSAccessKeyId)=)[^&\s"'<>]*/gi;
// A header as printed by HTTP, by util.inspect or by JSON: the value, quoted or to the end of the line.
const SECRET_HEADER = /((?:Authorization|X-Amz-Security-Token)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\n]*)/gi;

export function redactSecrets(text: string): string {
  return text.replace(SECRET_QUERY, "$1…").replace(SECRET_HEADER, "$1…");
}
