/**
 * The vocabulary of the edit tables: one FieldSpec per config key an edit command can write.
 * Flags are derived from the key (kebab-case), so a flag always mirrors the key it writes.
 * No imports beyond types: program-edit.ts reads these tables at start-up.
 */

/** How a flag's text (or a wizard answer) becomes the value written into the YAML. */
export type ParseKind =
  | 'string'
  | 'strings'
  | 'bool'
  | 'int'
  | 'size'
  | 'duration'
  | 'limit'
  | 'enum'
  | 'enums'
  | 'addressSpaces'
  | 'ipRanges'
  | 'ipAddresses'
  | 'bindings'
  | 'credential'
  | 'adPermissions';

/** Objects of the topology a field refers to: the wizard offers their names as choices. */
export type RefKind = 'server' | 'mailboxServer' | 'site' | 'dag' | 'serverOrDag';

export interface FieldSpec {
  /** Config key, lowerCamelCase as in the file. */
  key: string;
  /** Long flag without dashes, e.g. `address-spaces`. */
  flag: string;
  parse: ParseKind;
  description: string;
  choices?: readonly string[];
  ref?: RefKind;
}

/** `remoteIPRanges` → `remote-ip-ranges`, `dnsRoutingEnabled` → `dns-routing-enabled`, `forceHELO` → `force-helo`. */
export function kebab(key: string): string {
  return key
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

export function field(key: string, parse: ParseKind, description: string, extra: Partial<Pick<FieldSpec, 'choices' | 'ref'>> = {}): FieldSpec {
  return { key, flag: kebab(key), parse, description, ...extra };
}

/** A field whose value is a list (comma-separated on the command line). */
export function isListField(spec: FieldSpec): boolean {
  return ['strings', 'enums', 'addressSpaces', 'ipRanges', 'ipAddresses', 'bindings'].includes(spec.parse);
}
