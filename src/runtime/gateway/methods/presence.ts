/** `system-presence` (protocol.md §6.2): the presence list, the gateway's own entry first. */
import {z} from 'zod'

import {defineMethod} from '../server/registry.js'

export const presenceMethods = [
  defineMethod({
    name: 'system-presence',
    scope: 'operator.read',
    params: z.object({}),
    handler: (_params, ctx) => ctx.gateway.presence.list(),
  }),
]
