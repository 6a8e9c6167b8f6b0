// STUB: the config-schema work replaces this file (the zod schema, single source of truth).
import {z} from 'zod'

export const ConfigSchema = z.object({}).loose()
export type Config = z.output<typeof ConfigSchema>
