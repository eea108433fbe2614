/**
 * The disk agents' rule for a script's environment, the designer's one copy of the C#
 * ScriptEnvironmentRule (src/UdcBackup.ScriptContract) that the controller applies to sites and
 * flows and every disk agent applies again before it runs a script. Both are pinned to the same
 * cases by tests/UdcBackup.Site.Tests/ScriptEnvironmentCases.json, messages included.
 *
 * A name has the variable shape ([A-Z_][A-Z0-9_]{0,63}), is not protected (the search path, the
 * loader's LD_*, shells' start-up variables ...: never settable, whatever is configured) and starts
 * with one of the prefixes the controller is configured with (GET /api/settings/script-environment;
 * by default UDC_ and PG). A value is text without NUL of at most 16 KiB (UTF-8), the whole
 * environment at most 64 KiB. No function throws: each answers with the reason or undefined.
 */

export const DEFAULT_PREFIXES: readonly string[] = ['UDC_', 'PG'];
export const MAX_NAME_LENGTH = 64;
export const MAX_VALUE_BYTES = 16 * 1024;
export const MAX_ENVIRONMENT_BYTES = 64 * 1024;

export const PROTECTED_NAMES: readonly string[] = [
  'PATH', 'LANG', 'LANGUAGE', 'HOME', 'SHELL', 'IFS', 'ENV', 'BASH_ENV', 'SHELLOPTS', 'BASHOPTS', 'PS4',
  'CDPATH', 'GLOBIGNORE', 'PROMPT_COMMAND', 'GCONV_PATH', 'LOCPATH', 'NLSPATH', 'HOSTALIASES',
  'RESOLV_HOST_CONF', 'RES_OPTIONS', 'LOCALDOMAIN', 'TMPDIR', 'TZDIR', 'OPENSSL_CONF', 'OPENSSL_ENGINES',
  'PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP', 'PYTHONINSPECT', 'PERL5LIB', 'PERL5OPT', 'PERLLIB',
  'RUBYLIB', 'RUBYOPT', 'NODE_OPTIONS', 'NODE_PATH', 'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS',
];
export const PROTECTED_PREFIXES: readonly string[] = ['LD_', 'LC_', 'BASH_FUNC_', 'GLIBC_', 'MALLOC_', 'DYLD_', 'GCONV_'];

const NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;
const PREFIX = /^[A-Z_][A-Z0-9_]{0,31}$/;
const protectedNames = new Set(PROTECTED_NAMES);

/** "UDC_*, PG*": the prefixes as an operator reads them. */
export function describePrefixes(prefixes: readonly string[]): string {
  return prefixes.map((p) => `${p}*`).join(', ');
}

export function isProtected(name: string): boolean {
  return protectedNames.has(name) || PROTECTED_PREFIXES.some((p) => name.startsWith(p));
}

/** Why a variable named `name` may not be set, or undefined when it may. */
export function nameRefusal(name: string, prefixes: readonly string[]): string | undefined {
  if (!NAME.test(name)) return `Environment variable '${name}' is not allowed: names use A-Z, 0-9 and _, not starting with a digit, at most ${MAX_NAME_LENGTH} characters`;
  if (isProtected(name)) return `Environment variable '${name}' is not allowed: it is set by the agent or changes what runs (search path, loader, shell start-up)`;
  if (!prefixes.some((p) => name.startsWith(p))) return `Environment variable '${name}' is not allowed: only names starting with ${prefixes.join(', ')} may be set`;
  return undefined;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// -1 for text with a lone surrogate, which has no UTF-8 form (the C# rule refuses it the same way).
function utf8Length(value: string): number {
  return LONE_SURROGATE.test(value) ? -1 : new TextEncoder().encode(value).length;
}

/** Why `name` may not be set to `value`, or undefined when it may. */
export function refusal(name: string, value: unknown, prefixes: readonly string[]): string | undefined {
  const bad = nameRefusal(name, prefixes);
  if (bad) return bad;
  if (typeof value !== 'string') return `Environment variable '${name}' is not allowed: its value must be text`;
  if (value.includes('\0')) return `Environment variable '${name}' is not allowed: its value contains a NUL character`;
  const bytes = utf8Length(value);
  if (bytes < 0 || bytes > MAX_VALUE_BYTES) {
    return `Environment variable '${name}' is not allowed: its value is ${bytes < 0 ? 'not valid UTF-16 text' : `${bytes} bytes long`}, at most ${MAX_VALUE_BYTES} bytes (UTF-8) may be set`;
  }
  return undefined;
}

/** Every reason the disk agent would refuse `environment` (each variable, then the whole size); empty when it accepts it. */
export function environmentProblems(environment: Record<string, unknown>, prefixes: readonly string[]): string[] {
  const problems: string[] = [];
  let total = 0;
  for (const [name, value] of Object.entries(environment)) {
    const r = refusal(name, value, prefixes);
    if (r) problems.push(r);
    else total += name.length + 2 + utf8Length(value as string);
  }
  if (problems.length === 0 && total > MAX_ENVIRONMENT_BYTES) {
    problems.push(`The script environment is ${total} bytes, at most ${MAX_ENVIRONMENT_BYTES} bytes (UTF-8, NAME=value and a NUL for each variable) may be set`);
  }
  return problems;
}

/** Why `prefix` may not be configured, or undefined when it may. */
export function prefixProblem(prefix: string): string | undefined {
  if (!PREFIX.test(prefix)) return `script environment prefix '${prefix}' must be 1-32 characters A-Z, 0-9 and _, not starting with a digit`;
  const hit = [...PROTECTED_NAMES, ...PROTECTED_PREFIXES].filter((p) => p.startsWith(prefix) || prefix.startsWith(p)).sort();
  return hit.length === 0 ? undefined : `script environment prefix '${prefix}' would admit ${hit.join(', ')}, which the agent never lets a caller set`;
}
