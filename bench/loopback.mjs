// Proof that a server of the bench listens on loopback only: the kernel's socket tables (/proc/net/tcp, tcp6)
// are read for the port's listening sockets. A target on any other address is refused before a call is made.
import fs from 'node:fs';

const LISTEN = '0A';
const LOOPBACK_HEX = new Set([
  '0100007F', // 127.0.0.1
  '00000000000000000000000001000000', // ::1
  '0000000000000000FFFF00000100007F', // ::ffff:127.0.0.1
]);

/** The hex local addresses of the sockets listening on `port`. */
export function listeningAddresses(port) {
  const found = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue; // no IPv6 on this machine
    }
    for (const row of text.split('\n').slice(1)) {
      const cols = row.trim().split(/\s+/);
      if (cols.length < 4 || cols[3] !== LISTEN) continue;
      const [address, portHex] = cols[1].split(':');
      if (parseInt(portHex, 16) === port) found.push(address);
    }
  }
  return found;
}

export function assertLoopbackOnly(port, what) {
  const addresses = listeningAddresses(port);
  const foreign = addresses.filter((a) => !LOOPBACK_HEX.has(a));
  if (foreign.length > 0) {
    throw new Error(`${what} listens on port ${port} beyond loopback (${foreign.join(', ')}): refused`);
  }
}
