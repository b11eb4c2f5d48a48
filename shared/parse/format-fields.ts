/**
 * The fields a custom format can fill, and how nginx variables and Apache `%` directives map onto them.
 * Unknown variables/directives are captured and ignored (the line still has to match around them).
 */
export type FieldName =
  | 'remote_addr' | 'time_clf' | 'time_iso' | 'time_msec' | 'time_epoch_s' | 'request' | 'method' | 'uri' | 'query' | 'protocol'
  | 'status' | 'bytes' | 'referer' | 'user_agent' | 'x_forwarded_for' | 'forwarded' | 'x_real_ip' | 'vhost'
  | 'duration_s' | 'duration_us' | 'duration_ms' | 'user' | 'ignore';

export const NGINX_VARS: Record<string, FieldName> = {
  remote_addr: 'remote_addr', binary_remote_addr: 'ignore', realip_remote_addr: 'ignore',
  time_local: 'time_clf', time_iso8601: 'time_iso', msec: 'time_msec',
  request: 'request', request_method: 'method', request_uri: 'uri', uri: 'uri', document_uri: 'uri', args: 'query', query_string: 'query',
  server_protocol: 'protocol', status: 'status', body_bytes_sent: 'bytes', bytes_sent: 'bytes',
  http_referer: 'referer', http_user_agent: 'user_agent', http_x_forwarded_for: 'x_forwarded_for', http_forwarded: 'forwarded', http_x_real_ip: 'x_real_ip',
  host: 'vhost', server_name: 'vhost', http_host: 'vhost',
  request_time: 'duration_s', upstream_response_time: 'ignore', remote_user: 'user',
};

/** Apache directive (without `%`, with `{arg}` kept) → field */
export function apacheDirective(letter: string, arg: string): FieldName {
  switch (letter) {
    case 'h': case 'a': return 'remote_addr';
    case 't': return arg === '' ? 'time_clf' : arg === 'sec' ? 'time_epoch_s' : arg === 'msec' ? 'time_msec' : 'ignore';
    case 'r': return 'request';
    case 'm': return 'method';
    case 'U': return 'uri';
    case 'q': return 'query';
    case 'H': return 'protocol';
    case 's': return 'status';
    case 'b': case 'B': case 'O': return 'bytes';
    case 'D': return 'duration_us';
    case 'T': return arg === 'ms' ? 'duration_ms' : arg === 'us' ? 'duration_us' : 'duration_s';
    case 'v': case 'V': return 'vhost';
    case 'u': return 'user';
    case 'i': {
      const h = arg.toLowerCase();
      return h === 'referer' ? 'referer' : h === 'user-agent' ? 'user_agent' : h === 'x-forwarded-for' ? 'x_forwarded_for' : h === 'forwarded' ? 'forwarded' : h === 'x-real-ip' ? 'x_real_ip' : h === 'host' ? 'vhost' : 'ignore';
    }
    default: return 'ignore';
  }
}
