// Sleeps for event.ms and reports when it ran, to show how many invocations overlap.
const { threadId } = require('node:worker_threads');

exports.handler = async (event) => {
  const startedAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, event.ms));
  return { threadId, startedAt, endedAt: Date.now() };
};
