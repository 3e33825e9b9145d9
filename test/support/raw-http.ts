import { connect } from 'node:net';

/** Sends raw bytes on one connection to `url`'s port and returns everything written back until it closed or went quiet. */
export function rawHttp(url: string, bytes: string | Buffer, quietMs = 500): Promise<{ text: string; closed: boolean }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed });
    };
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      clearTimeout(timer);
      timer = setTimeout(() => done(false), quietMs);
    });
    socket.on('end', () => done(true));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? done(true) : reject(error)));
    socket.write(bytes);
    timer = setTimeout(() => done(false), quietMs * 4);
  });
}
