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
import AgentsAdd from './commands/agents/add.js'
import AgentsBind from './commands/agents/bind.js'
import AgentsDelete from './commands/agents/delete.js'
import AgentsList from './commands/agents/list.js'
import AgentsSetIdentity from './commands/agents/set-identity.js'
import AgentsUnbind from './commands/agents/unbind.js'
import SessionsHistory from './commands/sessions/history.js'
import SessionsList from './commands/sessions/list.js'
import SessionsReset from './commands/sessions/reset.js'

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
  'agents:add': AgentsAdd,
  'agents:bind': AgentsBind,
  'agents:delete': AgentsDelete,
  'agents:list': AgentsList,
  'agents:set-identity': AgentsSetIdentity,
  'agents:unbind': AgentsUnbind,
  'sessions:history': SessionsHistory,
  'sessions:list': SessionsList,
  'sessions:reset': SessionsReset,
}
