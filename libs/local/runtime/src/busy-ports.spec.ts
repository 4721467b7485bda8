import { createServer, type Server } from 'node:net';
import { ensurePortsFree, PortsInUseError } from './busy-ports.js';

async function holdPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

async function freePort(): Promise<number> {
  const { server, port } = await holdPort();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('ensurePortsFree', () => {
  const held: Server[] = [];
  afterEach(() => held.splice(0).forEach((server) => server.close()));

  it('names every busy port at once, with what it was wanted for', async () => {
    // Prepare
    const api = await holdPort();
    const dynamodb = await holdPort();
    held.push(api.server, dynamodb.server);
    const sqsPort = await freePort();

    // Act
    const checking = ensurePortsFree('127.0.0.1', [
      { service: 'API', port: api.port },
      { service: 'SQS/SNS', port: sqsPort },
      { service: 'DynamoDB', port: dynamodb.port },
    ]);

    // Assess
    await expect(checking).rejects.toThrow(PortsInUseError);
    await expect(checking).rejects.toMatchObject({
      busy: [
        { service: 'API', port: api.port },
        { service: 'DynamoDB', port: dynamodb.port },
      ],
    });
  });

  it('passes free ports and port 0, and leaves them free', async () => {
    // Prepare
    const port = await freePort();

    // Act
    await ensurePortsFree('127.0.0.1', [
      { service: 'API', port },
      { service: 'SQS/SNS', port: 0 },
    ]);

    // Assess: still free for the pipeline to take
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    held.push(server);
  });
});
