// Waits until the broker answers metadata requests (kafkajs admin.listTopics). Usage: node wait-ready.mjs host:port timeoutSeconds
import { Kafka, logLevel } from 'kafkajs';

const [broker = '127.0.0.1:39092', timeout = '90'] = process.argv.slice(2);
const deadline = Date.now() + Number(timeout) * 1000;
const kafka = new Kafka({ clientId: 'torlogs-wait', brokers: [broker], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
while (Date.now() < deadline) {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    await admin.disconnect();
    process.exit(0);
  } catch {
    await admin.disconnect().catch(() => {});
    await new Promise((r) => setTimeout(r, 500));
  }
}
console.error(`Kafka at ${broker} not ready after ${timeout}s`);
process.exit(1);
