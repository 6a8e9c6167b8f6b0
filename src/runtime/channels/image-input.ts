/**
 * Whether the model that will answer an inbound message takes images (issue 10: "a text-only
 * model gets the caption and a note"), so a channel downloads a photo only when it is useful.
 * The route's agent and its session's `/model` override pick the models; any of them (primary or
 * a fallback the run may fail over to) accepting `image` input is enough. When the models cannot
 * be resolved the answer is yes: the run reports that problem itself, and an unneeded download is
 * only wasted bytes, while a skipped one would lose the picture.
 */
import type {Config} from '../config/schema/index.js'
import {listProviders} from '../models/catalog.js'
import {agentModelSelection} from '../models/model-ref.js'
import {resolveModelCandidate} from '../models/resolve-model.js'

export function modelsTakeImages(config: Readonly<Config>, agentId: string, sessionOverride: string | undefined): boolean {
  const selection = sessionOverride !== undefined ? {primary: sessionOverride, fallbacks: []} : agentModelSelection(config, agentId)
  if (selection.primary === undefined) return true
  const providers = listProviders(config)
  // Keys are irrelevant here: an empty env and no agent dir keep this to config and the catalog.
  const takes = (raw: string): boolean | undefined => {
    try {
      return resolveModelCandidate(config, raw, {env: {}}, providers).model.input.includes('image')
    } catch {
      return undefined
    }
  }
  const primary = takes(selection.primary)
  if (primary !== false) return true
  return selection.fallbacks.some((raw) => takes(raw) === true)
}
