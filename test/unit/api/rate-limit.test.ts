import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRateLimiter } from '../../../shared/api/rate-limit.js';

test('token bucket: a burst of N per key, then one per 60/N s with the wait in seconds; keys are independent', () => {
  const rl = createRateLimiter(3);
  const t = 1_000_000;
  assert.deepEqual([rl.take('a', t), rl.take('a', t), rl.take('a', t)], [null, null, null]);
  assert.equal(rl.take('a', t), 20, 'the 4th request waits 20 s (one token per 20 s)');
  assert.equal(rl.take('b', t), null, 'another key has its own bucket');
  assert.equal(rl.take('a', t + 19_000), 1);
  assert.equal(rl.take('a', t + 20_000), null, 'refilled after 20 s');
  assert.equal(rl.take('a', t + 20_000), 20);
  assert.deepEqual([rl.take('a', t + 600_000), rl.take('a', t + 600_000), rl.take('a', t + 600_000), rl.take('a', t + 600_000) !== null], [null, null, null, true], 'the bucket never holds more than N');
});
