/**
 * What a field of a custom format means: nginx `$variables` and Apache `%` directives mapped onto field kinds,
 * the name a rejection reports for each (nginx-style, e.g. `time_local`), and which one wins when a format logs
 * the same thing twice (`%b` and `%O`, `$time_local` and `$msec`, `%h` and `%{c}a`). Unknown variables and
 * directives are `ignore`: captured (the line must still match around them) and dropped.
 */
export type FieldKind =
  | 'remote_addr' | 'remote_addr_peer' | 'addr_list'
  | 'time_clf' | 'time_clf_bracketed' | 'time_iso' | 'time_epoch' | 'time_epoch_us' | 'time_strftime' | 'time_any'
  | 'time_frac_ms' | 'time_frac_us'
  | 'request' | 'method' | 'uri' | 'query' | 'query_mark' | 'protocol'
  | 'status' | 'status_weak' | 'bytes' | 'bytes_total'
  | 'referer' | 'user_agent' | 'x_forwarded_for' | 'forwarded' | 'x_real_ip' | 'vhost' | 'user'
  | 'duration_s' | 'duration_ms' | 'duration_us' | 'duration_ns'
  | 'ignore';

/** slot a kind fills and its rank in that slot (highest wins; ties: first in the format) */
const SLOTS: Partial<Record<FieldKind, [string, number]>> = {
  remote_addr_peer: ['remote', 3], remote_addr: ['remote', 2], addr_list: ['remote', 1],
  time_epoch: ['time', 5], time_epoch_us: ['time', 5], time_iso: ['time', 4], time_any: ['time', 4], time_strftime: ['time', 3],
  time_clf: ['time', 2], time_clf_bracketed: ['time', 2],
  status: ['status', 2], status_weak: ['status', 1],
  bytes: ['bytes', 2], bytes_total: ['bytes', 1],
  duration_ns: ['duration', 4], duration_us: ['duration', 3], duration_ms: ['duration', 2], duration_s: ['duration', 1],
  vhost: ['vhost', 1], user: ['user', 1], request: ['request', 1], method: ['method', 1], uri: ['uri', 1], protocol: ['protocol', 1],
  referer: ['referer', 1], user_agent: ['user_agent', 1], x_forwarded_for: ['xff', 1], forwarded: ['forwarded', 1], x_real_ip: ['x_real_ip', 1],
};

/**
 * For the fields of one format (in order), the kind each one really fills: a field outranked by another field
 * for the same slot becomes `ignore` (an address list keeps its forwarded part: see format-fill).
 */
export function resolveKinds(kinds: FieldKind[]): FieldKind[] {
  const best = new Map<string, { rank: number; index: number }>();
  kinds.forEach((k, index) => {
    const s = SLOTS[k];
    if (!s) return;
    const cur = best.get(s[0]);
    if (!cur || s[1] > cur.rank) best.set(s[0], { rank: s[1], index });
  });
  return kinds.map((k, index) => {
    const s = SLOTS[k];
    if (!s || best.get(s[0])!.index === index) return k;
    return k === 'addr_list' ? 'x_forwarded_for' : 'ignore';
  });
}

export const NGINX_VARS: Record<string, FieldKind> = {
  remote_addr: 'remote_addr', proxy_add_x_forwarded_for: 'addr_list',
  time_local: 'time_clf', time_iso8601: 'time_iso', msec: 'time_epoch',
  request: 'request', request_method: 'method', request_uri: 'uri', uri: 'uri', document_uri: 'uri',
  args: 'query', query_string: 'query', is_args: 'query_mark', server_protocol: 'protocol',
  status: 'status', body_bytes_sent: 'bytes', bytes_sent: 'bytes_total',
  http_referer: 'referer', http_user_agent: 'user_agent', http_x_forwarded_for: 'x_forwarded_for', http_forwarded: 'forwarded',
  http_x_real_ip: 'x_real_ip', host: 'vhost', server_name: 'vhost', http_host: 'vhost',
  request_time: 'duration_s', remote_user: 'user',
  // known and deliberately ignored: upstream_response_time (a list when several upstreams were tried),
  // realip_remote_addr, binary_remote_addr, server_port, request_length, scheme, connection ...
};

/** Apache `%` directive (letter, `{arg}`, modifiers) → kind. `%{format}t` strftime formats are `time_strftime`. */
export function apacheDirective(letter: string, arg: string, modifiers: string): FieldKind {
  switch (letter) {
    case 'h': case 'a': return arg === 'c' ? 'remote_addr_peer' : 'remote_addr'; // %{c}a / %{c}h: the TCP peer (mod_remoteip)
    case 't': {
      const a = arg.replace(/^(begin|end):/, '');
      if (arg === '') return 'time_clf_bracketed';
      if (a === 'sec' || a === 'msec') return 'time_epoch';
      if (a === 'usec') return 'time_epoch_us';
      if (a === 'msec_frac') return 'time_frac_ms';
      if (a === 'usec_frac') return 'time_frac_us';
      return a === '' ? 'time_clf_bracketed' : 'time_strftime';
    }
    case 'r': return 'request';
    case 'm': return 'method';
    case 'U': return 'uri';
    case 'q': return 'query';
    case 'H': return 'protocol';
    case 's': return modifiers.includes('>') ? 'status' : 'status_weak';
    case 'b': case 'B': return 'bytes';
    case 'O': return 'bytes_total';
    case 'D': return 'duration_us';
    case 'T': return arg === 'ms' ? 'duration_ms' : arg === 'us' ? 'duration_us' : 'duration_s';
    case 'v': case 'V': return 'vhost';
    case 'u': return 'user';
    case 'i': {
      const h = arg.toLowerCase();
      if (h === 'referer') return 'referer';
      if (h === 'user-agent') return 'user_agent';
      if (h === 'x-forwarded-for') return 'x_forwarded_for';
      if (h === 'forwarded') return 'forwarded';
      if (h === 'x-real-ip') return 'x_real_ip';
      return h === 'host' ? 'vhost' : 'ignore';
    }
    default: return 'ignore';
  }
}

/** The field name a rejection reports for an Apache directive (nginx-style where there is an equivalent). */
export function apacheFieldName(letter: string, arg: string, kind: FieldKind): string {
  const byKind: Partial<Record<FieldKind, string>> = {
    remote_addr: 'remote_addr', remote_addr_peer: 'remote_addr', time_clf_bracketed: 'time_local', time_strftime: 'time', time_epoch: 'time',
    request: 'request', method: 'request_method', uri: 'request_uri', query: 'query_string', protocol: 'server_protocol',
    status: 'status', status_weak: 'status', bytes: 'body_bytes_sent', bytes_total: 'bytes_sent', referer: 'http_referer',
    user_agent: 'http_user_agent', x_forwarded_for: 'http_x_forwarded_for', vhost: 'host', user: 'remote_user',
    duration_us: 'request_time', duration_ms: 'request_time', duration_s: 'request_time',
  };
  return byKind[kind] ?? `%${arg ? `{${arg}}` : ''}${letter}`;
}
