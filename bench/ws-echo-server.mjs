// The floor for the gateway's latency rows: a bare ws server that speaks just enough of the
// protocol for the bench client (challenge, connect → ok, any request → ok with a fixed
// health-shaped payload). Run as its own process on 127.0.0.1; prints its port on stdout.
import {WebSocketServer} from 'ws'

const payload = {ok: true, ts: Date.now(), durationMs: 0, channels: {}, channelOrder: [], channelLabels: {}, heartbeatSeconds: 0, defaultAgentId: 'main', agents: [], sessions: {path: '', count: 0, recent: []}}
const wss = new WebSocketServer({host: '127.0.0.1', port: 0, perMessageDeflate: false, clientTracking: false})
wss.on('listening', () => process.stdout.write(`${wss.address().port}\n`))
wss.on('connection', (ws) => {
  ws.send(JSON.stringify({type: 'event', event: 'connect.challenge', payload: {nonce: 'bench', ts: Date.now()}}))
  ws.on('message', (data) => {
    const {id} = JSON.parse(data.toString())
    ws.send(JSON.stringify({type: 'res', id, ok: true, payload}))
  })
})
process.on('SIGTERM', () => process.exit(0))
