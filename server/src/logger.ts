import { pino, type Logger } from 'pino';

export function createLogger(level: string, nodeId: string): Logger {
  return pino({ level, base: { node: nodeId }, redact: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.token'] });
}
