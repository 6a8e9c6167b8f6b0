import {z} from 'zod'

import {PRIVATE_META_KEYS} from './primitives.js'
import {ConfigSchema} from './root.js'

/**
 * The JSON Schema (draft 2020-12) of the config file, generated from the zod schema with its
 * descriptions and defaults (`config schema`, the `config.schema` RPC). It describes what a user
 * writes (zod's input side: keys with defaults are optional). Secret fields carry
 * `writeOnly: true`; our other metadata keys are dropped. Built on each call, never at import.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override: ({jsonSchema}) => {
      const node = jsonSchema as Record<string, unknown>
      if (node.secret === true) node.writeOnly = true
      for (const key of PRIVATE_META_KEYS) delete node[key]
    },
  }) as Record<string, unknown>
  return {...schema, title: 'openclaw config', description: 'Configuration file of openclaw (~/.openclaw/openclaw.json).'}
}
