/**
 * The text before `[time]` in Apache/nginx access logs: `[vhost] client-addresses ident user`. Real logs put more
 * than one address there (nginx `$http_x_forwarded_for $remote_addr` variants, CloudFront chains, quoted lists):
 * groups are split on spaces, a comma joins items into one group, quotes group too.
 *  - 3 client groups: vhost, forwarded list, connecting address
 *  - 2 groups: a list followed by an address → forwarded list + connecting address; otherwise vhost + address
 *  - 1 group: an address, or a list whose last item is the connecting address and the rest forwarded hops
 */
export interface ClientSection {
  vhost: string;
  remoteAddr: string;
  /** forwarded hops logged before the connecting address, as an X-Forwarded-For value */
  forwardedList: string;
  user: string;
}

interface Group {
  items: string[];
  quoted: boolean;
}

function splitGroups(s: string): Group[] | null {
  const groups: Group[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && s.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    if (s.charCodeAt(i) === 34) {
      const end = s.indexOf('"', i + 1);
      if (end < 0) return null;
      groups.push({ items: s.slice(i + 1, end).split(',').map((x) => x.trim()).filter((x) => x !== ''), quoted: true });
      i = end + 1;
      continue;
    }
    const items: string[] = [];
    for (;;) {
      let j = i;
      while (j < n && s.charCodeAt(j) !== 32 && s.charCodeAt(j) !== 44) j++;
      items.push(s.slice(i, j));
      i = j;
      if (i < n && s.charCodeAt(i) === 44) {
        i++;
        while (i < n && s.charCodeAt(i) === 32) i++;
        continue;
      }
      break;
    }
    groups.push({ items, quoted: false });
  }
  return groups;
}

export function parseClientSection(prefix: string): ClientSection | null {
  // fast path: `a.b.c.d - user`
  const sp1 = prefix.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : prefix.indexOf(' ', sp1 + 1);
  if (sp1 > 0 && sp2 > 0 && prefix.indexOf(' ', sp2 + 1) < 0 && prefix.indexOf(',') < 0 && prefix.charCodeAt(0) !== 34) {
    const user = prefix.slice(sp2 + 1);
    return { vhost: '', remoteAddr: prefix.slice(0, sp1), forwardedList: '', user: user === '-' ? '' : user };
  }
  const groups = splitGroups(prefix);
  if (!groups || groups.length < 3) return null;
  const userGroup = groups[groups.length - 1]!;
  const client = groups.slice(0, groups.length - 2);
  const user = userGroup.items.join(',');
  const out: ClientSection = { vhost: '', remoteAddr: '', forwardedList: '', user: user === '-' ? '' : user };
  const isList = (g: Group) => g.quoted || g.items.length > 1;
  if (client.length === 3) {
    if (client[0]!.items.length !== 1 || client[2]!.items.length !== 1) return null;
    out.vhost = client[0]!.items[0]!;
    out.forwardedList = client[1]!.items.join(', ');
    out.remoteAddr = client[2]!.items[0]!;
  } else if (client.length === 2) {
    if (client[1]!.items.length === 1 && isList(client[0]!)) {
      out.forwardedList = client[0]!.items.join(', ');
      out.remoteAddr = client[1]!.items[0]!;
    } else if (client[0]!.items.length === 1) {
      out.vhost = client[0]!.items[0]!;
      const items = client[1]!.items;
      out.remoteAddr = items[items.length - 1]!;
      out.forwardedList = items.slice(0, -1).join(', ');
    } else return null;
  } else if (client.length === 1) {
    const items = client[0]!.items;
    out.remoteAddr = items[items.length - 1]!;
    out.forwardedList = items.slice(0, -1).join(', ');
  } else return null;
  return out.remoteAddr === '' ? null : out;
}

/** `example.com:80` → `example.com`; `[::1]:443` → `[::1]`; a bare IPv6 literal is left alone. */
export function hostWithoutPort(v: string): string {
  const c = v.lastIndexOf(':');
  if (c <= 0 || c === v.length - 1) return v;
  for (let i = c + 1; i < v.length; i++) {
    const d = v.charCodeAt(i);
    if (d < 48 || d > 57) return v;
  }
  if (v.charCodeAt(c - 1) === 93 /* ] */ || v.indexOf(':') === c) return v.slice(0, c);
  return v;
}
