/**
 * Reads optional JSON typed into a form field: empty text is "no value"; text that does not parse
 * gives the reason, named after the field, for the form to show instead of sending anything.
 */
export function parseJsonText(text: string, field: string): { value: unknown; error: string | undefined } {
  if (!text.trim()) return { value: undefined, error: undefined };
  try {
    return { value: JSON.parse(text), error: undefined };
  } catch (e) {
    return { value: undefined, error: `${field} is not valid JSON: ${(e as Error).message}` };
  }
}
