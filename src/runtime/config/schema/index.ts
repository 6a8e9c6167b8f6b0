/**
 * The config schema's public surface: the zod schema and its type, plus the path queries
 * `config get/set` and redaction need. Validation (`validate.ts`), legacy migration
 * (`legacy.ts`), the JSON Schema (`json-schema.ts`) and the reference doc (`reference-doc.ts`)
 * are imported from their own modules so a caller loads only what it uses.
 */
export {ConfigSchema, UNSUPPORTED_SECTIONS, type Config} from './root.js'
export {describeConfigPath, isSecretConfigPath, type ConfigPathInfo} from './schema-path.js'
