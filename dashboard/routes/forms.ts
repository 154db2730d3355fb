// The shape of every form the dashboard accepts: urlencoded fields, each a single string of bounded length
// (a repeated field, an object or an over-long value is a 400, never a 500). Unknown fields are dropped.

/** JSON schema for a form body with these fields (name → longest value); `_csrf` is always allowed. */
export function formSchema(fields: Record<string, number>) {
  const properties: Record<string, { type: 'string'; maxLength: number }> = { _csrf: { type: 'string', maxLength: 200 } };
  for (const [name, maxLength] of Object.entries(fields)) properties[name] = { type: 'string', maxLength };
  return { type: 'object', properties, additionalProperties: false } as const;
}

/** Route options of a POST form route: its access level and its body schema. */
export function formRoute(access: 'read' | 'decide' | 'accounts' | 'audit', fields: Record<string, number>) {
  return { config: { access }, schema: { body: formSchema(fields) } };
}
