// Preload (`node --import <this file> server.js`) that pins every TCP listen to 127.0.0.1, for test upstreams
// such as server-everything's HTTP mode that otherwise listen on every interface. Pipes and handles are untouched.
import net from 'node:net';

const LOOPBACK = '127.0.0.1';
const originalListen = net.Server.prototype.listen;

function isPort(value) {
  return typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value));
}

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first] = args;
  if (
    first !== null &&
    typeof first === 'object' &&
    !Array.isArray(first) &&
    !('_handle' in first) &&
    !('fd' in first)
  ) {
    // listen(options[, callback]): a named pipe (options.path) stays as it is.
    if (first.path === undefined) args[0] = { ...first, host: LOOPBACK };
    return originalListen.apply(this, args);
  }
  if (first === undefined || typeof first === 'function' || isPort(first)) {
    // listen([port][, host][, backlog][, callback]): drop a given host, put loopback in its place.
    const port = isPort(first) ? Number(first) : 0;
    const rest = isPort(first) ? args.slice(1) : args;
    if (typeof rest[0] === 'string' || rest[0] === null || rest[0] === undefined) {
      if (rest.length > 0 && typeof rest[0] !== 'function') rest.shift();
    }
    return originalListen.call(this, port, LOOPBACK, ...rest);
  }
  return originalListen.apply(this, args);
};
