import {describe, expect, it} from 'vitest'

import {classifyConfigChange, classifyConfigPath} from '../../../src/runtime/config/edit/reload-class.js'

describe('classifyConfigPath (config.md §8, longest prefix)', () => {
  it.each([
    ['gateway.reload.mode', 'hot'],
    ['gateway.reload', 'hot'],
    ['gateway.remote.url', 'none'],
    ['gateway.port', 'restart'],
    ['gateway.auth.token', 'restart'],
    ['gateway', 'restart'],
    ['gatewayx', 'restart'],
    ['plugins.entries', 'restart'],
    ['channels.telegram.botToken', 'hot'],
    ['channels.telegram.accounts.ops.botToken', 'hot'],
    ['channels.discord.token', 'restart'],
    ['channels', 'restart'],
    ['agents.defaults.model', 'hot'],
    ['agents.list[0].model', 'hot'],
    ['bindings[2]', 'hot'],
    ['session.reset.mode', 'hot'],
    ['models.providers["my.host"].baseUrl', 'hot'],
    ['tools.exec.timeoutSec', 'hot'],
    ['auth.profiles', 'hot'],
    ['messages.queue', 'hot'],
    ['commands.native', 'hot'],
    ['logging.level', 'hot'],
    ['diagnostics.flags', 'hot'],
    ['env.vars.FOO', 'hot'],
    ['hooks.mappings', 'hot'],
    ['cron.enabled', 'hot'],
    ['meta.lastTouchedAt', 'none'],
    ['wizard.lastRunAt', 'none'],
    ['$schema', 'none'],
    ['browser.enabled', 'restart'],
    ['', 'restart'],
  ])('%s -> %s', (path, expected) => {
    expect(classifyConfigPath(path)).toBe(expected)
  })
})

describe('classifyConfigChange', () => {
  it.each([
    ['nothing', [], {hot: [], restart: [], none: [], reload: 'none'}],
    ['only none', ['meta.lastTouchedAt', 'gateway.remote.url'], {hot: [], restart: [], none: ['meta.lastTouchedAt', 'gateway.remote.url'], reload: 'none'}],
    ['hot wins over none', ['meta.lastTouchedAt', 'agents.defaults.model'], {hot: ['agents.defaults.model'], restart: [], none: ['meta.lastTouchedAt'], reload: 'hot'}],
    ['restart wins over hot', ['gateway.port', 'logging.level'], {hot: ['logging.level'], restart: ['gateway.port'], none: [], reload: 'restart'}],
  ])('%s', (_name, paths, expected) => {
    expect(classifyConfigChange(paths)).toEqual(expected)
  })
})
