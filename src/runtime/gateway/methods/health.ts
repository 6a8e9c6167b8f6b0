/** `health` (protocol.md §6.2): the cached HealthSnapshot; `probe:true` refreshes it first for read-scoped callers. */
import {z} from 'zod'

import {defineMethod} from '../server/registry.js'
import {hasScope} from '../server/scopes.js'

export const healthMethods = [
  defineMethod({
    name: 'health',
    scope: undefined,
    params: z.object({probe: z.boolean().optional()}),
    // Returns the cached object synchronously when fresh: this is the hot path.
    handler: (params, ctx) => ctx.gateway.health.get({probe: params.probe === true && hasScope(ctx.conn.scopes, 'operator.read')}),
  }),
]
