// Waits until the broker answers a metadata request (kafkajs admin.listTopics): an open port is not enough, the
// broker accepts connections before the KRaft controller has elected itself and published metadata.
// Usage: node scripts/kafka/wait-ready.mjs host:port timeoutSeconds [pid]   (exit 0 ready, 1 timeout, 2 pid died)
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const [broker = '127.0.0.1:39092', timeout = '90', pid] = process.argv.slice(2);
const deadline = Date.now() + Number(timeout) * 1000;
const alive = () => {
  if (!pid) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
};
const kafka = new Kafka({ clientId: 'torlogs-wait-ready', brokers: [broker], logLevel: logLevel.NOTHING, connectionTimeout: 1000, requestTimeout: 5000, retry: { retries: 0 } });
while (Date.now() < deadline) {
  if (!alive()) {
    process.exit(2);
  }
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    await admin.disconnect();
    process.exit(0);
  } catch {
    await admin.disconnect().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
  }
}
console.error(`kafka: ${broker} did not answer a metadata request within ${timeout} s`);
process.exit(1);
