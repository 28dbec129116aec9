import { Type } from "@sinclair/typebox";

// Every id in this API is visible ASCII (UUIDs, prefixed ids, slugs, short codes).
const VISIBLE_ASCII = "^[\\x21-\\x7e]+$";
const UUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/**
 * An id in a path. A value outside its shape cannot name anything, so the gateway answers it
 * 404 NOT_FOUND like any unknown id (`plugins/errors.ts`) and never forwards it to a service,
 * where it would fail as a field of an internal call.
 */
export function pathId(options: { maxLength?: number; uuid?: boolean; description?: string } = {}) {
  return Type.String({
    minLength: 1,
    maxLength: options.uuid ? 36 : (options.maxLength ?? 128),
    pattern: options.uuid ? UUID : VISIBLE_ASCII,
    ...(options.description ? { description: options.description } : {}),
  });
}
