/**
 * The last guard before anything reaches a display: whatever code returns (a presigned URL, a
 * presigned POST's fields, a request dump, an error and its cause) is shown with signatures,
 * credentials and tokens replaced by "…". A presigned URL is a password for one object until it
 * expires.
 */
const SECRET_NAMES = "X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|AWSAccessKeyId|Authorization|secretAccessKey|sessionToken";
// A query parameter, also inside HTML ("&" escaped), or a part of an Authorization value (`Credential=…, Signature=…`).
const SECRET_PARAMETER = /((?:X-Amz-(?:Signature|Credential|Security-Token)|\bSignature|\bCredential|AWSAccessKeyId)=)[^&\s"'<>,]*/gi;
// A field as util.inspect, JSON, HTTP or escaped HTML print it: the value, quoted or to the end of
// the line (or of the text, in HTML: a tag that follows is kept).
const QUOTE = `["'\`]|&#39;|&#x27;|&quot;`;
const SECRET_FIELD = new RegExp(
  `((?:${SECRET_NAMES})(?:${QUOTE})?\\s*:\\s*)("[^"]*"|'[^']*'|\`[^\`]*\`|&#39;.*?&#39;|&#x27;.*?&#x27;|&quot;.*?&quot;|[^\\n<]*)`,
  "gi",
);

export function redactSecrets(text: string): string {
  return text.replace(SECRET_PARAMETER, "$1…").replace(SECRET_FIELD, "$1…");
}
