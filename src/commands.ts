import Agent from './commands/agent.js'
import ConfigFile from './commands/config/file.js'
import ConfigGet from './commands/config/get.js'
import ConfigPatch from './commands/config/patch.js'
import ConfigSchemaCommand from './commands/config/schema.js'
import ConfigSet from './commands/config/set.js'
import ConfigUnset from './commands/config/unset.js'
import ConfigValidate from './commands/config/validate.js'
import GatewayCall from './commands/gateway/call.js'
import GatewayHealth from './commands/gateway/health.js'
import GatewayProbe from './commands/gateway/probe.js'
import GatewayRun from './commands/gateway/run.js'
import Health from './commands/health.js'
import Logs from './commands/logs.js'
import Status from './commands/status.js'

/** The explicit command map oclif loads (package.json `oclif.commands`). Keys use ":"; help shows spaces. */
export const COMMANDS = {
  'config:file': ConfigFile,
  'config:get': ConfigGet,
  'config:patch': ConfigPatch,
  'config:schema': ConfigSchemaCommand,
  'config:set': ConfigSet,
  'config:unset': ConfigUnset,
  'config:validate': ConfigValidate,
  'gateway:call': GatewayCall,
  'gateway:health': GatewayHealth,
  'gateway:probe': GatewayProbe,
  'gateway:run': GatewayRun,
  health: Health,
  logs: Logs,
  status: Status,
  agent: Agent,
}
