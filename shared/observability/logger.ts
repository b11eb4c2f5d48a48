/** pino JSON logs on stderr (stdout belongs to command output). Components get a child: logger.child({ component }). */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destinationFd = 2): Logger {
  return pino({ level, base: { app: 'torlogs' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ fd: destinationFd, sync: false }));
}

/** A logger that drops everything (tests, --quiet). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
